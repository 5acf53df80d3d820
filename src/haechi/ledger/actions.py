"""The ledger's action vocabulary: every kind of change Haechi records in the hash chain.

An entry's ``action`` is one of these values. The text is part of what each entry's hash
covers, so a value never changes once written: a renamed member keeps its old string, and a
new kind of change gets a new member. Each member carries a one-line description in English
and Korean, which is what the auditor's reference (``docs/ledger-actions.md``) is made from.
"""

from __future__ import annotations

from enum import StrEnum


class LedgerAction(StrEnum):
    """What one ledger entry records (the value is the stored ``action`` text)."""

    description: str
    description_ko: str

    def __new__(cls, value: str, description: str = "", description_ko: str = "") -> LedgerAction:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        member.description_ko = description_ko
        return member

    # --- accounts -------------------------------------------------------------------
    ORG_CREATE = ("org.create", "An organisation was created.", "조직이 생성되었습니다.")
    USER_CREATE = ("user.create", "A user account was created.", "사용자 계정이 생성되었습니다.")
    USER_PASSWORD = ("user.password", "A user's password was set or changed.", "사용자 비밀번호가 설정·변경되었습니다.")
    USER_UPDATE = ("user.update", "A user's role, name or active flag was changed.",
                   "사용자의 역할, 이름 또는 활성 여부가 변경되었습니다.")
    TOKEN_CREATE = ("token.create", "An API token was issued.", "API 토큰이 발급되었습니다.")
    TOKEN_REVOKE = ("token.revoke", "An API token was revoked.", "API 토큰이 폐기되었습니다.")
    TOKEN_CREATE_INGEST = ("token.create_ingest",
                           "An ingestion-only API token was issued: it may log prediction events and labels "
                           "for the named systems and nothing else.",
                           "수집 전용 API 토큰이 발급되었습니다: 지정된 시스템의 예측 이벤트와 라벨 기록만 할 수 "
                           "있고 다른 작업은 할 수 없습니다.")

    ORG_FACTS_UPDATE = ("org.facts_update",
                        "The organisation's operator facts (name, country, Korean office, revenue, users in Korea, "
                        "fines, public body) were changed; every system is classified under them.",
                        "조직의 사업자 정보(명칭, 국가, 국내 사무소, 매출액, 국내 이용자 수, 과태료, 공공기관 여부)가 "
                        "변경되었습니다: 모든 시스템이 이 정보로 분류됩니다.")

    # --- registry and verdicts --------------------------------------------------------
    SYSTEM_CREATE = ("system.create", "An AI system was registered (its first card revision).",
                     "AI 시스템이 등록되었습니다(첫 카드 개정).")
    SYSTEM_UPDATE = ("system.update", "A system card was revised.", "시스템 카드가 개정되었습니다.")
    SYSTEM_DELETE = ("system.delete", "A system was deleted (kept, marked deleted).",
                     "시스템이 삭제되었습니다(기록은 보존, 삭제 표시).")
    SYSTEM_RESTORE = ("system.restore", "A deleted system was restored.", "삭제된 시스템이 복원되었습니다.")
    RULES_VERDICT = ("rules.verdict", "A system was classified and its verdict changed.",
                     "시스템의 분류 판정이 변경되었습니다.")
    RULES_LAW_CHANGE = ("rules.law_change",
                        "A change of law (a pack update or a date) gave a system duties, took some away or moved "
                        "their status or start date (law-change record).",
                        "법령 변경(팩 갱신 또는 시행일 도래)으로 시스템의 의무가 생기거나 없어지거나 상태·시작일이 "
                        "바뀌었습니다(법령 변경 기록).")
    PACK_INSTALL = ("pack.install", "A law-pack version was installed from a bundle signed by a trusted publisher.",
                    "신뢰하는 발행자가 서명한 번들에서 법령 팩 버전이 설치되었습니다.")
    PACK_UNINSTALL = ("pack.uninstall", "An installed law-pack version was removed (the previous text applies again).",
                      "설치된 법령 팩 버전이 제거되었습니다(이전 본문이 다시 적용됨).")
    PACK_TRUST = ("pack.trust", "A publisher key was trusted for signing law-pack bundles.",
                  "법령 팩 번들 서명용 발행자 키를 신뢰하도록 추가했습니다.")
    PACK_UNTRUST = ("pack.untrust", "A publisher key is no longer trusted for law-pack bundles.",
                    "법령 팩 번들 발행자 키의 신뢰를 철회했습니다.")

    # --- compliance: controls, evidence, documents ----------------------------------------
    COMPLIANCE_TIMEZONE = ("compliance.timezone", "The organisation's compliance time zone was set.",
                           "조직의 컴플라이언스 시간대가 설정되었습니다.")
    CONTROLS_SYNC = ("controls.sync", "A system's controls were synchronised with its verdict.",
                     "시스템의 통제 항목이 판정에 맞게 동기화되었습니다.")
    CONTROL_STATUS = ("control.status", "A control's status changed.", "통제 항목의 상태가 변경되었습니다.")
    CONTROL_REQUEST = ("control.request", "Someone asked to mark a control operating; a second person must approve.",
                       "통제 항목을 운영 중으로 바꾸도록 요청했습니다. 다른 사람의 승인이 필요합니다.")
    CONTROL_REVIEW = ("control.review", "A request to mark a control operating was approved or refused, with a note.",
                      "통제 항목의 운영 중 전환 요청을 메모와 함께 승인하거나 거절했습니다.")
    CONTROL_ASSIGN = ("control.assign", "A control's owner or due date was set.",
                      "통제 항목의 담당자 또는 기한이 지정되었습니다.")
    EVIDENCE_ADD = ("evidence.add", "Evidence was added.", "증거가 추가되었습니다.")
    EVIDENCE_REVISE = ("evidence.revise", "Evidence was revised (a new revision of the same item).",
                       "증거가 개정되었습니다(같은 항목의 새 개정본).")
    EVIDENCE_LINK = ("evidence.link", "Evidence was linked to more controls.", "증거가 통제 항목에 연결되었습니다.")
    EVIDENCE_AUTO = ("evidence.auto", "Evidence was collected automatically (verdict, monitor run, alert).",
                     "증거가 자동 수집되었습니다(판정, 모니터 실행, 경보).")
    EVIDENCE_RESOLVE = ("evidence.resolve", "Contradicting evidence was resolved.", "반대 증거가 해소되었습니다.")
    EVIDENCE_REVIEW = ("evidence.review", "Submitted evidence was accepted or rejected by a reviewer, with a note.",
                       "제출된 증거를 검토자가 메모와 함께 승인하거나 반려했습니다.")
    COMPLIANCE_REVIEW_POLICY = ("compliance.review_policy",
                                "The organisation's evidence review policy (who needs a second reviewer) was set.",
                                "조직의 증거 검토 정책(두 번째 검토자가 필요한 범위)이 설정되었습니다.")
    EVIDENCE_DELETE = ("evidence.delete", "Evidence past its retention period was deleted.",
                       "보존 기간이 지난 증거가 삭제되었습니다.")
    CONFIRMATION_SUBMIT = ("confirmation.submit",
                           "A confirmation request was submitted to the regulator (starts its reply clock).",
                           "확인 요청이 규제 기관에 제출되었습니다(회신 기한 시작).")
    CONFIRMATION_STEP = ("confirmation.step",
                         "A step of a confirmation request was recorded (extension, reply, re-request).",
                         "확인 요청의 단계(연장, 회신, 재요청)가 기록되었습니다.")
    DOCUMENT_SAVE = ("document.save", "A compliance document was saved.", "컴플라이언스 문서가 저장되었습니다.")
    DOCUMENT_APPROVE = ("document.approve", "A compliance document was approved.",
                        "컴플라이언스 문서가 승인되었습니다.")

    # --- compliance: incidents -----------------------------------------------------------
    INCIDENT_OPEN = ("incident.open", "An incident was opened.", "사고가 등록되었습니다.")
    INCIDENT_CLASSIFIED = ("incident.classified", "An incident's severity or classification was set.",
                           "사고의 심각도 또는 분류가 지정되었습니다.")
    INCIDENT_NOTE = ("incident.note", "A note was added to an incident's timeline.",
                     "사고 타임라인에 메모가 추가되었습니다.")
    INCIDENT_STATUS = ("incident.status", "An incident's status changed.", "사고 상태가 변경되었습니다.")
    INCIDENT_ROOT_CAUSE = ("incident.root_cause", "An incident's root cause was recorded.",
                           "사고의 근본 원인이 기록되었습니다.")
    INCIDENT_ACTION = ("incident.action", "A corrective action was added to an incident.",
                       "사고에 시정 조치가 추가되었습니다.")
    INCIDENT_ACTION_DONE = ("incident.action_done", "An incident's corrective action was completed.",
                            "사고의 시정 조치가 완료되었습니다.")
    INCIDENT_REPORT_FILED = ("incident.report_filed", "An incident report was filed with a regulator.",
                             "사고 보고가 규제 기관에 제출되었습니다.")
    INCIDENT_CLOSED = ("incident.closed", "An incident was closed.", "사고가 종결되었습니다.")

    # --- compliance: risks ---------------------------------------------------------------
    RISK_MATRIX = ("risk.matrix", "The organisation's risk matrix was set.", "조직의 위험 매트릭스가 설정되었습니다.")
    RISK_ADD = ("risk.add", "A risk was added to the register.", "위험이 위험 목록에 추가되었습니다.")
    RISK_UPDATE = ("risk.update", "A risk was re-assessed or edited.", "위험이 재평가·수정되었습니다.")
    RISK_ACCEPT = ("risk.accept", "A risk was accepted.", "위험이 수용되었습니다.")
    RISK_CLOSE = ("risk.close", "A risk was closed.", "위험이 종결되었습니다.")
    RISK_LINK = ("risk.link", "A risk was linked to controls or incidents.",
                 "위험이 통제 항목 또는 사고에 연결되었습니다.")

    # --- monitoring ----------------------------------------------------------------------
    MONITOR_CREATE = ("monitor.create", "A monitor was created.", "모니터가 생성되었습니다.")
    MONITOR_UPDATE = ("monitor.update", "A monitor's spec changed.", "모니터 명세가 변경되었습니다.")
    MONITOR_DELETE = ("monitor.delete", "A monitor was deleted.", "모니터가 삭제되었습니다.")
    MONITOR_FILE_PUT = ("monitor.file.put", "A log or reference file was uploaded to the monitor files.",
                        "로그 또는 기준 파일이 모니터 파일에 업로드되었습니다.")
    MONITOR_FILE_DELETE = ("monitor.file.delete", "A monitor file was deleted.",
                           "모니터 파일이 삭제되었습니다.")
    MONITOR_RUN = ("monitor.run", "A monitor ran (its metrics and alerts are in the payload).",
                   "모니터가 실행되었습니다(지표와 경보는 페이로드에).")
    MONITOR_IMPORT = ("monitor.import", "Logs were imported into a system's monitoring lake.",
                      "로그가 시스템의 모니터링 레이크로 가져와졌습니다.")
    MONITOR_RETENTION = ("monitor.retention", "A system's log retention period was set (with the reason when shorter).",
                         "시스템의 로그 보존 기간이 설정되었습니다(단축 시 사유 포함).")
    MONITOR_PURGE = ("monitor.purge", "Log partitions past the retention period were deleted.",
                     "보존 기간이 지난 로그 파티션이 삭제되었습니다.")
    MONITOR_QUARANTINE = ("monitor.quarantine", "Unreadable log files were moved to quarantine.",
                          "읽을 수 없는 로그 파일이 격리되었습니다.")
    ALERT_OPEN = ("alert.open", "An alert was reopened.", "경보가 다시 열렸습니다.")
    ALERT_ACKNOWLEDGED = ("alert.acknowledged", "An alert was acknowledged.", "경보가 확인되었습니다.")
    ALERT_RESOLVED = ("alert.resolved", "An alert was resolved.", "경보가 해결되었습니다.")
    MONITOR_PROBLEM_OPEN = ("monitor.problem.open", "A monitoring problem was opened: a threshold was breached at a "
                            "place with no unresolved problem.",
                            "모니터링 문제가 열렸습니다: 해결되지 않은 문제가 없는 대상에서 임계값을 벗어났습니다.")
    MONITOR_PROBLEM_ACKNOWLEDGED = ("monitor.problem.acknowledged", "A monitoring problem was acknowledged, "
                                    "with a note.", "모니터링 문제가 메모와 함께 확인되었습니다.")
    MONITOR_PROBLEM_RESOLVED = ("monitor.problem.resolved", "A monitoring problem was resolved, with a note.",
                                "모니터링 문제가 메모와 함께 해결되었습니다.")

    # --- transparency --------------------------------------------------------------------
    NOTICE_VERSION = ("notice.version", "A new version of a system's user notice was stored.",
                      "시스템 이용자 고지의 새 버전이 저장되었습니다.")
    TRANSPARENCY_EXCEPTION = ("transparency.exception", "A transparency duty was recorded as not applied, "
                              "with the exemption relied on.",
                              "투명성 의무를 적용하지 않은 결정과 근거 예외가 기록되었습니다.")
    TRANSPARENCY_VOLUNTARY = ("transparency.voluntary", "Output was labelled although no duty required it.",
                              "의무가 없는데도 출력물에 표시를 했습니다.")
    TRANSPARENCY_MARK_CHOICE = ("transparency.mark_choice", "How an output was marked (visible or machine-readable) "
                                "and why.", "출력물 표시 방식(가시적 또는 기계 판독)과 그 이유가 기록되었습니다.")
    TRANSPARENCY_DELIVERIES = ("transparency.deliveries", "Notice and label deliveries were recorded.",
                               "고지·표시 전달 기록이 저장되었습니다.")
    LABEL_SETTINGS = ("label.settings", "The organisation's labelling settings changed.",
                      "조직의 표시 설정이 변경되었습니다.")
    LABEL_TEXT = ("label.text", "A text output was labelled.", "텍스트 출력물에 표시를 했습니다.")
    LABEL_IMAGE = ("label.image", "An image output was labelled.", "이미지 출력물에 표시를 했습니다.")
    LABEL_VIDEO = ("label.video", "A video output was labelled.", "동영상 출력물에 표시를 했습니다.")
    LABEL_AUDIO = ("label.audio", "An audio output was labelled.", "오디오 출력물에 표시를 했습니다.")
    POSTING_UPDATE = ("posting.update", "A system's public transparency posting changed.",
                      "시스템의 공개 투명성 게시가 변경되었습니다.")
    RECEIPT_CREATE = ("receipt.create", "An explanation receipt for one logged decision was created.",
                      "기록된 결정 하나에 대한 설명 영수증이 생성되었습니다.")
    REVIEW_REVIEW = ("review.review", "An affected person asked for a human review.",
                     "영향받는 사람이 사람에 의한 검토를 요청했습니다.")
    REVIEW_OBJECTION = ("review.objection", "An affected person objected to a decision.",
                        "영향받는 사람이 결정에 이의를 제기했습니다.")
    REVIEW_QUESTION = ("review.question", "An affected person asked for an explanation.",
                       "영향받는 사람이 설명을 요청했습니다.")
    REVIEW_RESOLVE = ("review.resolve", "A review request was answered.", "검토 요청에 답변했습니다.")

    # --- passport, reports, ESG, ledger ----------------------------------------------------
    PASSPORT_CONFIGURE = ("passport.configure", "A system's passport settings changed.",
                          "시스템 패스포트 설정이 변경되었습니다.")
    PASSPORT_PUBLISH = ("passport.publish", "A signed passport was published.", "서명된 패스포트가 게시되었습니다.")
    REPORT_DOSSIER = ("report.dossier", "A system dossier was produced.", "시스템 도시에가 생성되었습니다.")
    REPORT_REPORT = ("report.report", "An organisation report was produced.", "조직 보고서가 생성되었습니다.")
    REPORT_EXPORT = ("report.export", "A data export was produced.", "데이터 내보내기가 생성되었습니다.")
    ESG_SITE_SET = ("esg.site.set", "An ESG site was set up or changed.", "ESG 사업장이 설정·변경되었습니다.")
    ESG_PRODUCTION_IMPORT = ("esg.production.import", "A production file for one line was imported.",
                             "생산 기록을 가져왔습니다.")
    ESG_ENERGY_RECORD = ("esg.energy.record", "Energy use was recorded.", "에너지 사용량이 기록되었습니다.")
    ESG_INSTRUMENT_ADD = ("esg.instrument.add", "A PPA, REC, green premium or supplier-specific rate was recorded.",
                          "PPA, REC, 녹색프리미엄 또는 공급자별 배출계수가 기록되었습니다.")
    ESG_LINK_SET = ("esg.link.set", "A system was linked to an ESG site and line.",
                    "시스템이 ESG 사업장·라인에 연결되었습니다.")
    ESG_SOCIAL_RECORD = ("esg.social.record", "A social or governance indicator was recorded for a period.",
                         "기간별 사회·지배구조 지표가 기록되었습니다.")
    REMINDER_PREFERENCES = ("reminder.preferences", "A person chose the channels and language of their reminders.",
                            "개인이 알림을 받을 채널과 언어를 정했습니다.")
    REMINDER_WEBHOOK_ADD = ("reminder.webhook.add", "A signed webhook endpoint for reminders was registered.",
                            "알림용 서명 웹훅 엔드포인트가 등록되었습니다.")
    REMINDER_WEBHOOK_REMOVE = ("reminder.webhook.remove", "A reminder webhook endpoint was removed; messages not yet "
                               "delivered to it are not sent (its delivery log is kept).",
                               "알림 웹훅 엔드포인트를 삭제했습니다: 아직 전달되지 않은 메시지는 보내지 않습니다(전송 "
                               "기록은 보존).")
    REMINDER_WEBHOOK_ROTATE = ("reminder.webhook.rotate", "A reminder webhook endpoint got a new signing secret; the "
                               "old one no longer signs anything.",
                               "알림 웹훅 엔드포인트의 서명 비밀값을 새로 발급했습니다: 이전 비밀값으로는 더 이상 "
                               "서명하지 않습니다.")
    REMINDER_DIGEST = ("reminder.digest", "The daily digest of what is due this week was queued for the people "
                       "and webhooks named.", "이번 주 마감 일일 요약이 지정된 사람과 웹훅에 발송 대기되었습니다.")
    LEDGER_EXPORT = ("ledger.export", "The ledger was exported (its head signed first).",
                     "원장을 내보냈습니다(먼저 헤드에 서명).")
