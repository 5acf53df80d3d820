"""The transparency kit's part of the shells."""

from haechi.capability import Capability, Commands, DemoStep, SystemTab

CAPABILITY = Capability(
    name="transparency",
    api_routers=("haechi.api.routers.transparency:router",),
    web_routers=("haechi.web.routes.transparency:router",),
    tabs=(SystemTab("transparency.tab", "/transparency", 40),),
    commands=(Commands("haechi.cli.transparency", ("notice", "label", "receipt")),),
    demo_steps=(DemoStep("haechi.demo.transparency", "transparency: notices, chatbot deliveries, labelled campaign "
                         "images, a receipt, the public page", 40),),
    tables=("haechi.store.transparency_tables",),
)
