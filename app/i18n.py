"""Every label in both languages: the interface, the charts, fact and status names, the legal
checks' wording, dates and counts. Japanese is the default; ``lang="en"`` picks English.

The attack types keep their table in ``app.taxonomy`` (with their chart colours) and are
reached here through ``attack_label``. Pure: no I/O, nothing of the web.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app import taxonomy

MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# key -> (日本語, English). Keys of the charts begin with chart_.
TEXT: dict[str, tuple[str, str]] = {
    "title": ("Rouei 漏えい — 国内の情報漏えい事案", "Rouei — data breaches in Japan"),
    "tagline": ("国内の情報漏えい事案 — 発覚から公表まで", "Data breaches in Japan, from discovery to disclosure"),
    "description": ("国内の情報漏えい事案を、発覚日・公表日・件数とその根拠の一文とともに検索できるダッシュボード。",
                    "Search Japanese data-breach incidents by attack type, with dates, counts and the sentence behind each fact."),
    "skip": ("本文へ移動", "Skip to content"),
    "footer": ("Rouei は公表資料から事実を抽出し、各事実に根拠の箇所を添えて示します。誤りは出典で確認してください。",
               "Rouei extracts facts from published notices and shows the passage behind each. Check the source when in doubt."),
    "other_lang": ("English", "日本語"),
    "search_label": ("事案を検索", "Search incidents"),
    "search_placeholder": ("組織名・サービス名（例: ワコム）", "Organisation or service"),
    "sort": ("並び順", "Sort"),
    "submit": ("検索", "Search"),
    "filters": ("絞り込み", "Filters"),
    "active_filters": ("絞り込み条件", "Active filters"),
    "remove_filter": ("条件を外す", "remove filter"),
    "clear_all": ("すべて解除", "Clear all"),
    "first_seen": ("Rouei が最初に見つけた日時", "First seen by Rouei"),
    "last_changed": ("最後の変更", "Last changed"),
    "nav_sources": ("情報源", "Sources"),
    "sources_title": ("情報源 — 自動で収集しているサイト", "Sources Rouei harvests"),
    "sources_intro": ("Rouei が定期的に取得しているフィード・一覧ページ・ページと、その状態です。"
                      "新しい文書だけを取得し、失敗した情報源は間隔を空けて再試行します。",
                      "The feeds, listing pages and pages Rouei fetches on a schedule, and how each is doing. "
                      "Only new documents are fetched; a failing source is retried later and later."),
    "sources_none": ("登録された情報源はまだありません（rouei sources add URL で追加）。",
                     "No sources are registered yet (rouei sources add URL adds one)."),
    "sources_count": ("{n}件の情報源", "{n} sources"),
    "sources_json": ("JSON で見る", "As JSON"),
    "source_kind_feed": ("フィード", "Feed"),
    "source_kind_listing": ("一覧ページ", "Listing page"),
    "source_kind_page": ("ページ", "Page"),
    "source_state_ok": ("正常", "OK"),
    "source_state_failing": ("失敗中", "Failing"),
    "source_state_disabled": ("停止中", "Disabled"),
    "source_state_new": ("未取得", "Not fetched yet"),
    "source_every": ("取得間隔", "Every"),
    "source_last_fetched": ("最終取得", "Last fetched"),
    "source_last_new": ("最後の新着", "Last new document"),
    "source_failures": ("連続失敗", "Failures in a row"),
    "source_gave": ("取得した文書・事案", "Documents, incidents"),
    "source_gave_detail": ("文書{d}件・事案{i}件", "{d} documents, {i} incidents"),
    "source_next_due": ("次回", "Next"),
    "source_error": ("最後のエラー", "Last error"),
    "source_recent": ("最近の事案", "Recent incidents"),
    "source_links": ("たどるリンク", "Links followed"),
    "never": ("—", "—"),
    "now": ("まもなく", "now"),
    "sort_newest": ("新しい公表順", "Newest disclosure"),
    "sort_added": ("Rouei に追加された新しい順", "Newest added"),
    "sort_delay": ("公表までの日数が長い順", "Longest delay"),
    "sort_records": ("件数が多い順", "Largest leak"),
    "chip_q": ("検索", "Search"),
    "chip_type": ("攻撃種別", "Attack"),
    "chip_year": ("公表年", "Disclosed"),
    "chip_vendor": ("委託先", "Vendor"),
    "chip_card": ("カード", "Card"),
    "chip_review": ("確認状況", "Review"),
    "facet_review": ("確認状況", "Review status"),
    "facet_ppc": ("個人情報保護委員会への報告", "Report to the PPC"),
    "chip_ppc": ("委員会への報告", "PPC report"),
    "chip_card_yes": ("カード情報あり", "Card data leaked"),
    "chip_card_no": ("カード情報なし・不明", "No card data / unknown"),
    "facet_type": ("攻撃種別", "Attack type"),
    "facet_year": ("公表年", "Year disclosed"),
    "facet_vendor": ("委託先・サプライチェーン", "Vendor / supply chain"),
    "facet_card": ("カード情報", "Card data"),
    "card_yes": ("漏えいあり", "Leaked"),
    "card_no": ("なし・不明", "None / unknown"),
    "year_unknown": ("公表日不明", "Date unknown"),
    "no_vendor": ("該当なし", "None"),
    "results": ("{n} 件の事案", "{n} incidents"),
    "empty": ("該当する事案はありません。条件を減らしてください。", "No incidents match. Remove a filter."),
    "prev": ("← 前へ", "← Previous"),
    "next": ("次へ →", "Next →"),
    "pages": ("ページ", "Pages"),
    "discovered": ("発覚", "Discovered"),
    "disclosed": ("公表", "Disclosed"),
    "days": ("{n}日", "{n} days"),
    "records": ("件数", "Records"),
    "unknown": ("不明", "unknown"),
    "org_unknown": ("組織名不明", "Unknown organisation"),
    "charts": ("グラフ", "Charts"),
    "charts_follow": ("グラフは現在の絞り込み条件に従います。", "The charts follow the current filters."),
    "chart_click": ("棒や点をクリックすると事案を開きます。", "Click a bar or point to open the incident."),
    "copy_link": ("リンクをコピー", "Copy link"),
    "copied": ("コピーしました", "Copied"),
    "back_to_list": ("← 事案一覧", "← All incidents"),
    "supply_chain": ("委託先・サプライチェーン経由", "Through a vendor / supply chain"),
    "feed_title": ("Rouei — 新着の情報漏えい事案（{types}）", "Rouei — newest data breaches ({types})"),
    "feed_all": ("すべて", "all"),
    "feed_subscribe": ("新着をフィードで購読", "Follow what is new (Atom)"),
    "feed_link_title": ("Rouei の新着（この条件）", "What is new in Rouei (this view)"),
    # the incident, organisation and vendor pages
    "facts": ("事実", "Facts"),
    "evidence_link": ("根拠{n}", "source{n}"),
    "evidence_aria": ("根拠（出典 {n}）: {fact}", "evidence in source {n}: {fact}"),
    "days_after_discovery": ("発覚から{n}日", "{n} days after discovery"),
    "exposure_window": ("漏えいの可能性がある期間", "Exposure window"),
    "timeline": ("経緯", "Timeline"),
    "gap_days": ("+{n}日", "+{n} days"),
    "no_dates": ("日付はわかっていません。", "No dates are known."),
    "legal_windows": ("個人情報保護委員会への報告義務と期限", "Report to the PPC: the duty and its deadlines"),
    "ppc_note": ("改正個人情報保護法（2022年4月1日施行）と施行規則第7条・第8条による判定です。出典に書かれていない事実は推測せず「判定不可」とし、足りない事実を示します。",
                 "Judged by the amended APPI (in force 1 April 2022) and its enforcement rules, articles 7 and 8. "
                 "A fact the sources do not state is never guessed: the verdict is “cannot tell”, naming the missing fact."),
    "contact_desk": ("問い合わせ窓口", "Contact desk for those affected"),
    "contact_name": ("窓口", "Desk"),
    "contact_phone": ("電話", "Phone"),
    "contact_hours": ("受付時間", "Hours"),
    "contact_url": ("URL", "URL"),
    "sources": ("出典", "Sources"),
    "source_n": ("出典{n}", "Source{n}"),
    "source_text": ("出典の本文 {n}", "Text of source {n}"),
    "no_source_text": ("この出典の本文は保存されていないため（同梱データは事実のみ）、根拠の箇所は表示できません。",
                       "The text of this source is not stored (bundled dataset: facts only), so the evidence cannot be shown."),
    "events": ("出典ごとの経緯（抽出結果）", "Events as each source tells them"),
    "related": ("関連する事案", "Related incidents"),
    "same_org": ("同じ組織", "Same organisation"),
    "same_vendor": ("同じ委託先", "Same vendor"),
    "permalink": ("この事案の固定URL", "Permanent link"),
    "incident_count": ("事案数", "Incidents"),
    "records_known_total": ("件数の合計（判明分）", "Records (known)"),
    "records_unknown_for": ("不明 {n}件", "unknown for {n}"),
    "first_last": ("最初と最後", "First and last"),
    "repeats": ("再発", "Repeats"),
    "org_description": ("{n} 件の情報漏えい事案", "{n} incidents"),
    "aliases": ("別名", "Also known as"),
    "vendor_description": ("{n} 組織が被害", "{n} organisations hit"),
    "vendor_kind": ("（委託先・サプライチェーン）", "(vendor / supply chain)"),
    "filter_by_vendor": ("この委託先で一覧を絞り込む", "Filter the dashboard by this vendor"),
    "vendor_orgs": ("この委託先を通じて被害を受けた組織（{n}）", "{n} organisations hit through this vendor"),
    # the indexes: /orgs and /vendors (#15)
    "site_nav": ("サイト内の一覧", "Site"),
    "nav_orgs": ("組織", "Organisations"),
    "nav_vendors": ("委託先", "Vendors"),
    "all_orgs": ("組織の一覧", "All organisations"),
    "all_vendors": ("委託先の一覧", "All vendors"),
    "orgs_title": ("組織の一覧 — 事案の多い順", "Organisations, repeat offenders first"),
    "orgs_intro": ("事案のある組織を、事案数・漏えい件数の合計・最新の事案の順に並べています。",
                   "Every organisation with an incident: most incidents first, then most records, then the latest incident."),
    "vendors_title": ("委託先の一覧 — 被害組織の多い順", "Vendors, most organisations hit first"),
    "vendors_intro": ("事案で名前の挙がった委託先（決済代行・システム会社など）と、それを通じて被害を受けた組織の数です。",
                      "Every vendor an incident names (payment, platform and system providers) and how many organisations were hit through it."),
    "orgs_count": ("{n}組織", "{n} organisations"),
    "vendors_count": ("{n}社", "{n} vendors"),
    "orgs_none": ("事案のある組織はまだありません。", "No organisation has an incident yet."),
    "vendors_none": ("委託先の名前が挙がった事案はまだありません。", "No incident names a vendor yet."),
    "index_sort_repeat": ("事案数の多い順", "Most incidents"),
    "index_sort_victims": ("被害組織の多い順", "Most organisations hit"),
    "index_sort_incidents": ("事案数の多い順", "Most incidents"),
    "index_sort_records": ("漏えい件数の多い順", "Most records"),
    "index_sort_recent": ("最新の事案が新しい順", "Latest incident first"),
    "index_sort_name": ("名前順", "By name"),
    "sort_apply": ("並べ替え", "Apply"),
    "page_n": ("{n}ページ目", "page {n}"),
    "col_org": ("組織", "Organisation"),
    "col_vendor": ("委託先", "Vendor"),
    "col_victims": ("被害組織", "Organisations hit"),
    "col_incidents": ("事案数", "Incidents"),
    "col_records": ("件数", "Records"),
    "col_records_known": ("（判明分の合計）", " (known total)"),
    "col_last": ("最新の事案", "Latest incident"),
    "exports": ("データ", "Data"),
    "export_csv": ("CSV", "CSV"),
    "export_json": ("JSON", "JSON"),
    "export_atom": ("Atom", "Atom"),
    "repeats_summary": ("{n}回の事案。間隔は中央値{median}日（最短{low}日・最長{high}日）",
                        "{n} incidents; median {median} days between them (from {low} to {high})"),
    "repeats_two": ("2回の事案。間隔{d}日", "2 incidents, {d} days apart"),
    "dates_unknown": ("日付不明", "dates unknown"),
    "not_found": ("ページが見つかりません", "Page not found"),
    "not_found_incident": ("この事案は見つかりません", "No such incident"),
    "not_found_org": ("この組織は見つかりません", "No such organisation"),
    "not_found_vendor": ("この委託先は見つかりません", "No such vendor"),
    "bad_request": ("リクエストが正しくありません", "The request is not valid"),
    "docs_back": ("← 事案一覧に戻る", "← Back to the incidents"),
    "docs_title": ("Rouei API — OpenAPI（英語）", "Rouei API — OpenAPI"),
    "docs_intro": ("Rouei の JSON API の説明です（英語）。どの一覧ページも同じクエリ文字列で /api/incidents（JSON）、/incidents.csv（CSV）、/feed.atom（Atom）として取得できます。",
                   "The JSON API of Rouei. Every list page's query string works on /api/incidents (JSON), /incidents.csv (CSV) and /feed.atom (Atom)."),
    "filters_button": ("絞り込み", "Filters"),
    "filters_active_n": ("{n}件選択中", "{n} active"),
    "view_all": ("すべての事案", "All incidents"),
    "impossible_order": ("日付の順序が成り立たないため経緯に描いていません: {later}（{later_day}）が{earlier}（{earlier_day}）より前です。出典で確認してください。",
                         "Not drawn on the timeline, as the order is impossible: {later} ({later_day}) comes before {earlier} ({earlier_day}). Check the sources."),
    "charts_need_js": ("グラフの表示には JavaScript が必要です。上の一覧に同じ事案があります。",
                       "Charts need JavaScript; the list above holds the same incidents."),
    # the charts
    "chart_timeline": ("発覚から公表まで", "Discovery to disclosure"),
    "chart_delay": ("公表までの日数（攻撃種別ごと、四分位と10〜90%）",
                    "Days to disclosure by attack type (quartiles and 10–90%)"),
    "chart_records": ("組織ごとの漏えい件数（上位20、対数軸）", "Records leaked per organisation (top 20, log scale)"),
    "chart_monthly": ("月別の公表件数（攻撃種別ごと）", "Incidents disclosed per month by attack type"),
    "chart_ppc": ("個人情報保護委員会への報告: 期限超過と判定不可（公表年・攻撃種別ごと）",
                  "Reports to the PPC found late or impossible to judge, per year and attack type"),
    "chart_ppc_note": ("ほかに報告義務なし {not_required} 件、期限内 {on_time} 件",
                       "Besides these: {not_required} not required, {on_time} on time"),
    "chart_no_dates": ("{n} 件は発覚日または公表日が不明のため表示されません",
                       "{n} incidents lack a discovery or disclosure date and are not shown"),
    "chart_no_disclosed": ("{n} 件は公表日不明のため表示されません",
                           "{n} incidents lack a disclosure date and are not shown"),
    "chart_no_counts": ("{n} 件は件数不明のため表示されません",
                        "{n} incidents have no known count and are not shown"),
    "chart_capped": ("新しい {n} 件のみ表示しています", "Only the newest {n} are shown"),
    "chart_median": ("中央値 {d}日", "median {d} d"),
    "chart_days": ("日数", "days"),
    "chart_records_axis": ("件数（対数）", "records (log)"),
    "chart_card": ("カード情報", "Card data"),
    "chart_personal": ("個人情報（カード以外）", "Other personal data"),
    "chart_delay_word": ("{d}日後", "after {d} days"),
    "chart_empty": ("データなし", "No data"),
    "chart_csv": ("CSV（表示中のデータ）", "CSV (the data shown)"),
    "chart_all": ("{n} 件すべてを集計しています。", "They are computed over all {n} incidents."),
    "chart_month": ("月", "month"),
    "chart_year": ("年", "year"),
    "chart_type": ("攻撃種別", "attack type"),
    "chart_org": ("組織", "organisation"),
    "chart_n": ("件数", "incidents"),
    "chart_pct": ("{p}%点（日）", "{p}th percentile (days)"),
    "chart_url": ("URL", "URL"),
    "chart_quantiles": ("10%: {p10}日 / 25%: {p25}日 / 中央値: {p50}日 / 75%: {p75}日 / 90%: {p90}日",
                        "10%: {p10} d / 25%: {p25} d / median: {p50} d / 75%: {p75} d / 90%: {p90} d"),
    # corrections and their history (#13)
    "state_parser": ("自動抽出", "parsed"),
    "state_corrected": ("訂正済み（{who}）: {why}", "corrected by {who}: {why}"),
    "state_checked": ("確認済み（{who}）", "checked by {who}"),
    "history": ("訂正履歴", "History"),
    "history_note": ("事実の変更はすべて記録されます: 出典からの抽出、人による訂正と確認、統合。",
                     "Every change to a fact is kept: parsed from a source, corrected or reviewed by a person, merged."),
    "suggestions": ("確認待ちの値", "Suggestions waiting"),
    "suggestion": ("{source} は {value} としています。確認済みの値は {kept} です。",
                   "{source} says {value}; the reviewed value is {kept}."),
    "not_applied": ("未採用", "not applied"),
    "by_parser": ("自動抽出", "the parser"),
    # the admin's browser session and forms (#13)
    "admin_login": ("管理者ログイン", "Admin sign-in"),
    "admin_token": ("管理トークン", "Admin token"),
    "admin_who": ("名前（履歴に残ります）", "Your name (kept in the history)"),
    "admin_login_note": ("ROUEI_ADMIN_TOKEN を一度入力すると、このブラウザで訂正・確認・統合・分割ができます。",
                         "Enter ROUEI_ADMIN_TOKEN once; this browser can then correct, review, merge and split."),
    "admin_sign_in": ("ログイン", "Sign in"),
    "admin_sign_out": ("ログアウト", "Sign out"),
    "admin_signed_in": ("{who} としてログイン中", "Signed in as {who}"),
    "admin_bad_token": ("トークンが違います。", "That token is not the admin token."),
    "admin_off": ("書き込みは無効です（ROUEI_ADMIN_TOKEN が未設定）。", "Writes are off (ROUEI_ADMIN_TOKEN is not set)."),
    "edit": ("訂正", "Correct"),
    "edit_exposure_from": ("訂正（始まり）", "Correct the start"),
    "edit_exposure_to": ("訂正（終わり）", "Correct the end"),
    "edit_value": ("新しい値", "New value"),
    "edit_empty": ("空欄で値を消します", "Leave empty to clear the fact"),
    "edit_reason": ("理由（必須）", "Reason (required)"),
    "edit_save": ("訂正する", "Save correction"),
    "edit_evidence": ("根拠", "Evidence"),
    "edit_candidates": ("出典ごとの値から選ぶ", "Pick a source's value"),
    "edit_items_hint": ("「、」または「,」で区切る", "Separate with 、 or ,"),
    "qualifier": ("修飾", "Qualifier"),
    "qualifier_none": ("なし（確定値）", "none (exact)"),
    "admin_actions": ("管理", "Admin"),
    "review_set": ("確認状況を記録", "Record the review"),
    "merge_into": ("この事案を別の事案に統合", "Merge this incident into another"),
    "merge_target": ("統合先の事案（スラッグまたは URL）", "The incident to merge into (slug or URL)"),
    "merge_do": ("統合する", "Merge"),
    "split_source": ("出典を別の事案に分割", "Split a source off into its own incident"),
    "split_which": ("分割する出典", "Source to split off"),
    "split_do": ("分割する", "Split"),
    "review_queue": ("確認待ちの事案", "Review queue"),
    "queue_note": ("人の確認が必要な順に並べています。確認済みにした事案は一覧から外れます（異議ありは残ります）。",
                   "Ordered by how much each needs a person. An incident marked reviewed leaves the queue; a disputed one stays."),
    "queue_total": ("{n}件", "{n} incidents"),
    "queue_all": ("すべての理由", "Every reason"),
    "queue_empty": ("確認待ちの事案はありません。", "Nothing is waiting for a person."),
    "queue_score": ("優先度 {n}", "priority {n}"),
    "queue_filter": ("絞り込む", "Filter"),
    "reason_disagreement": ("出典の値が食い違う", "Sources disagree"),
    "reason_suggestion": ("確認待ちの値がある", "Suggestions waiting"),
    "reason_no_disclosure": ("公表日がない", "No disclosure date"),
    "reason_uncertain": ("不確かな事実", "Uncertain facts"),
}

# Revision kinds and review statuses (app.revisions), as the incident page shows them.
REVISION_KIND_LABELS: dict[str, tuple[str, str]] = {
    "parser": ("抽出", "parsed"),
    "correction": ("訂正", "corrected"),
    "merge": ("統合", "merged"),
    "split": ("分割", "split"),
    "import": ("取込", "imported"),
    "review": ("確認", "review"),
}

REVIEW_LABELS: dict[str, tuple[str, str]] = {
    "unreviewed": ("未確認", "unreviewed"),
    "reviewed": ("確認済み", "reviewed"),
    "disputed": ("異議あり", "disputed"),
}

# Fact names as the incident page shows them.
FACT_LABELS: dict[str, tuple[str, str]] = {
    "organization": ("組織", "Organisation"),
    "organization_core": ("組織（法人格なし）", "Organisation (core name)"),
    "service": ("サービス", "Service"),
    "attack_type": ("攻撃種別", "Attack type"),
    "vendor": ("委託先", "Vendor"),
    "supply_chain": ("サプライチェーン", "Supply chain"),
    "status": ("漏えいの状況", "Leak status"),
    "exposure_from": ("漏えいの可能性がある期間の始まり", "Exposure window begins"),
    "exposure_to": ("漏えいの可能性がある期間の終わり", "Exposure window ends"),
    "discovered_on": ("発覚日", "Discovered"),
    "containment_on": ("封じ込め・停止", "Contained"),
    "reported_to_ppc_on": ("個人情報保護委員会への報告", "Reported to the PPC"),
    "ppc_final": ("個人情報保護委員会への確報", "Final report to the PPC"),
    "reported_to_ppc_later": ("個人情報保護委員会への2回目以降の報告", "Later reports to the PPC"),
    "contact": ("問い合わせ窓口", "Contact desk"),
    "reported_to_police_on": ("警察への届出・相談", "Reported to the police"),
    "disclosed_on": ("公表日", "Disclosed"),
    "records_max": ("件数（最大）", "Records (largest figure)"),
    "card_records": ("カード情報", "Card records"),
    "personal_records": ("その他の個人情報", "Other personal records"),
    "leaked_items": ("漏えいした項目", "Leaked items"),
    "records_max_qualifier": ("件数（最大）の修飾", "Records qualifier"),
    "card_records_qualifier": ("カード情報の件数の修飾", "Card records qualifier"),
    "personal_records_qualifier": ("その他の個人情報の件数の修飾", "Other personal records qualifier"),
    "review_status": ("確認状況", "Review status"),
}

# What each source says happened (taxonomy.EVENT_TYPES), as the incident page lists it.
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "incident_start": ("発生・攻撃の開始", "Breach began"),
    "anomaly_detected": ("異常を検知", "Anomaly detected"),
    "access_confirmed": ("不正アクセスを確認", "Unauthorised access confirmed"),
    "leak_possible": ("漏えいの可能性を把握", "Possible leak found"),
    "leak_confirmed": ("漏えいを確認", "Leak confirmed"),
    "notified_by_third_party": ("外部からの連絡で発覚", "Told by a third party"),
    "containment": ("封じ込め・停止", "Contained"),
    "reported_to_ppc": ("個人情報保護委員会へ報告", "Reported to the PPC"),
    "reported_to_police": ("警察へ届出・相談", "Reported to the police"),
    "customers_notified": ("本人へ通知", "Customers notified"),
    "disclosed": ("公表", "Disclosed"),
    "update": ("続報", "Update"),
}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "confirmed": ("漏えいを確認", "Leak confirmed"),
    "possible": ("漏えいの可能性", "Possible leak"),
    "investigating": ("調査中", "Under investigation"),
    "none": ("漏えいなし", "No leak"),
}

VERDICT_LABELS: dict[str, tuple[str, str]] = {
    "not_required": ("報告義務なし", "not required"),
    "on_time": ("期限内", "on time"),
    "late": ("期限超過", "late"),
    "unknown": ("判定不可", "cannot tell"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


# English forms for a count of one, keyed like TEXT: (the value that counts, the singular).
# Japanese needs none. tests/web/test_i18n.py renders every English text with 1 to find a
# plural left without its singular.
ONE_EN: dict[str, tuple[str, str]] = {
    "results": ("n", "{n} incident"),
    "days": ("n", "{n} day"),
    "days_after_discovery": ("n", "{n} day after discovery"),
    "gap_days": ("n", "+{n} day"),
    "sources_count": ("n", "{n} source"),
    "org_description": ("n", "{n} incident"),
    "vendor_description": ("n", "{n} organisation hit"),
    "vendor_orgs": ("n", "{n} organisation hit through this vendor"),
    "chart_no_dates": ("n", "{n} incident lacks a discovery or disclosure date and is not shown"),
    "chart_no_disclosed": ("n", "{n} incident lacks a disclosure date and is not shown"),
    "chart_no_counts": ("n", "{n} incident has no known count and is not shown"),
    "chart_all": ("n", "They are computed over {n} incident."),
    "chart_delay_word": ("d", "after {d} day"),
    "queue_total": ("n", "{n} incident"),
    "orgs_count": ("n", "{n} organisation"),
    "vendors_count": ("n", "{n} vendor"),
}


def _is_one(value: object) -> bool:
    return str(value).strip() == "1"


# A text with two counts ("{d} documents, {i} incidents") has no one singular form: each noun
# after a lone 1 loses its s.
_ONE_NOUN = re.compile(r"(?<![\d,.])1 (document|incident|source|organisation|vendor|day)s\b")


def text(key: str, lang: str = "ja", **values: object) -> str:
    if lang != "en":
        return TEXT[key][0].format(**values)
    one = ONE_EN.get(key)
    if one is not None and _is_one(values.get(one[0])):
        return one[1].format(**values)
    return _ONE_NOUN.sub(r"1 \1", TEXT[key][1].format(**values))


def fact_label(name: str, lang: str = "ja") -> str:
    return pick(FACT_LABELS.get(name, (name, name)), lang)


def status_label(value: str, lang: str = "ja") -> str:
    return pick(STATUS_LABELS.get(value, (value, value)), lang)


def event_label(kind: str, lang: str = "ja") -> str:
    return pick(EVENT_LABELS.get(kind, (kind, kind)), lang)


def verdict_label(value: str, lang: str = "ja") -> str:
    return pick(VERDICT_LABELS[value], lang)


def revision_kind_label(kind: str, lang: str = "ja") -> str:
    return pick(REVISION_KIND_LABELS.get(kind, (kind, kind)), lang)


def review_label(status: str, lang: str = "ja") -> str:
    return pick(REVIEW_LABELS.get(status, (status, status)), lang)


def revision_value(value: Any, lang: str = "ja") -> str:
    """A value as a revision keeps it (JSON), in words: 不明 for none, items joined."""
    if value is None or value == []:
        return text("unknown", lang)
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("はい" if value else "いいえ")
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def attack_label(key: str, lang: str = "ja") -> str:
    return taxonomy.label(key, lang)


def org_name(incident: Any, lang: str = "ja") -> str:
    """The name an incident is shown under: its organisation, the core name, or 組織名不明."""
    return incident.organization or incident.organization_core or text("org_unknown", lang)


def year_label(year: int | None, lang: str = "ja") -> str:
    """A facet's year of disclosure: 2022年 (2022 in English), 公表日不明 when unknown."""
    if not year:
        return text("year_unknown", lang)
    return str(year) if lang == "en" else f"{year}年"


def ja_date(value: date | None, lang: str = "ja") -> str:
    """2022年11月21日 in Japanese, 21 Nov 2022 in English; 不明 when unknown."""
    if value is None:
        return text("unknown", lang)
    if lang == "en":
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


_COUNT_EN = {"最大": "up to {n}", "約": "about {n}", "以上": "{n} or more", "可能性": "{n} (possibly)"}


def count(value: int | None, qualifier: str | None = None, lang: str = "ja") -> str:
    """A count as people read it, its qualifier kept: 最大9,416件, 1,000件以上, 500件(可能性);
    up to 9,416, 1,000 or more, 500 (possibly). Unknown is 不明 (調査中 when so stated), not 0."""
    if value is None:
        if qualifier == "調査中":
            return pick(("調査中", "under investigation"), lang)
        return text("unknown", lang)
    if lang == "en":
        return _COUNT_EN.get(qualifier or "", "{n}").format(n=f"{value:,}")
    number = f"{value:,}件"
    if qualifier in ("最大", "約"):
        return qualifier + number
    if qualifier == "以上":
        return number + "以上"
    if qualifier == "可能性":
        return number + "(可能性)"
    return number


def big_number(value: int, lang: str = "ja") -> str:
    """A count in the reader's units: 14万7,545 and 1億2,000万 in Japanese, 147,545 in English."""
    if lang == "en" or value < 10_000:
        return f"{value:,}"
    parts, rest = [], value
    for unit, size in (("兆", 10**12), ("億", 10**8), ("万", 10**4)):
        if rest >= size:
            parts.append(f"{rest // size:,}{unit}")
            rest %= size
    return "".join(parts) + (f"{rest:,}" if rest else "")


def month_label(year: int, month: int, lang: str = "ja") -> str:
    """2023年5月, May 2023."""
    return f"{MONTHS_EN[month - 1]} {year}" if lang == "en" else f"{year}年{month}月"


# ---- the PPC obligation's wording (the rules themselves are in app.ppc) ----

TRIGGER_LABELS: dict[str, tuple[str, str]] = {
    "sensitive": ("要配慮個人情報", "special-care personal information (要配慮個人情報)"),
    "property": ("財産的被害のおそれ", "risk of property damage (財産的被害のおそれ)"),
    "malicious": ("不正の目的", "done with intent (不正の目的)"),
    "over_1000": ("1,000人超", "more than 1,000 people"),
}
# The fact a verdict waits for, as its sentence names it.
MISSING_FACT: dict[str, tuple[str, str]] = {
    "leaked_items": ("漏えいした項目", "the leaked items"),
    "attack_type": ("原因（不正の目的か）", "the cause (intent or mistake)"),
    "records_max": ("人数", "the number of people"),
    "discovered_on": ("発覚日", "the discovery date"),
    "reported_to_ppc_on": ("報告日", "the report date"),
    "reported_to_ppc_later": ("確報の日付", "the final report's date"),
}


def _d(day: date | None, en: bool) -> str:
    if day is None:
        return "?"
    return ja_date(day, "en") if en else f"{day.year}年{day.month}月{day.day}日"


def missing_fact(key: str, lang: str = "ja") -> str:
    return pick(MISSING_FACT.get(key, (key, key)), lang)


def _trigger_fact(fact: str, lang: str) -> str:
    """A fact that fires a trigger in words: "attack_type=ransomware" → 攻撃種別: ランサムウェア,
    "records_max=9416" → 件数（最大）: 9,416; a leaked item as it is."""
    name, sep, value = fact.partition("=")
    if not sep or name not in FACT_LABELS:
        return fact
    shown = taxonomy.label(value, lang) if name == "attack_type" else (
        f"{int(value):,}" if value.lstrip("-").isdigit() else value)
    return f"{fact_label(name, lang)}: {shown}"


def trigger_text(key: str, fires: bool | None, facts: tuple[str, ...], missing: str | None,
                 article: str, lang: str = "ja") -> str:
    """"不正の目的（施行規則第7条第3号）: 該当 — attack_type=ransomware"."""
    en = lang == "en"
    name = pick(TRIGGER_LABELS[key], lang)
    state = ({True: "applies", False: "does not apply", None: "cannot tell"} if en
             else {True: "該当", False: "非該当", None: "判定不可"})[fires]
    why = (", " if en else "、").join(_trigger_fact(f, lang) for f in facts)
    if fires is None and missing:
        why = (f"{missing_fact(missing, lang)} not stated" if en else f"{missing_fact(missing, lang)}が不明")
    return f"{name} ({article}): {state}" + (f" — {why}" if why else "") if en else \
        f"{name}（{article}）: {state}" + (f" — {why}" if why else "")


def required_text(required: bool | None, reason: str, fired: list[str], missing: list[str],
                  lang: str = "ja") -> tuple[str, str]:
    """The duty to report as (rule, detail)."""
    en = lang == "en"
    rule = "Duty to report (施行規則第7条)" if en else "報告義務（施行規則第7条）"
    if reason == "before_duty":
        return rule, ("Discovered before the duty to report began (1 April 2022): a request then, not a duty." if en
                      else "2022年4月1日の改正個人情報保護法施行前の事案のため、報告は努力義務で、義務の対象外です。")
    names = "、".join(pick(TRIGGER_LABELS[k], lang) for k in fired) if not en else \
        ", ".join(pick(TRIGGER_LABELS[k], lang) for k in fired)
    if reason == "triggered":
        return rule, (f"Required: {names}." if en else f"報告義務あり: {names}。")
    if reason == "no_trigger":
        return rule, ("Not required: none of the four triggers applies." if en
                      else "報告義務なし: 4つの要件のいずれにも該当しません。")
    gaps = (", ".join if en else "、".join)(missing_fact(m, lang) for m in missing)
    return rule, (f"Cannot tell whether a report was required: {gaps} not stated." if en
                  else f"報告義務の有無は判定できません（{gaps}が不明）。")


def deadline_text(rule: str, article: str, verdict: str, window_days: int, window_alt: int | None,
                  discovered: date | None, due: date | None, reported: date | None,
                  missing: str | None, lang: str = "ja") -> tuple[str, str]:
    """A deadline as (rule, arithmetic): "確報（施行規則第8条第2項）: 発覚日D+60日" and
    "発覚 2022-08-19 + 60日 = 期限 2022-10-18; 報告 2022-10-17 − 発覚 = 59日 ≤ 60日"."""
    en = lang == "en"
    if rule == "preliminary":
        head = (f"Preliminary report (速報, {article}): promptly, about 3–5 days — due by discovery + {window_days} days"
                if en else f"速報（{article}）: 速やかに（概ね3〜5日）— 期限は発覚日+{window_days}日")
    else:
        span = (f"{window_days} days (or {window_alt} if done with intent)" if window_alt else f"{window_days} days") \
            if en else (f"{window_days}日（不正の目的なら{window_alt}日）" if window_alt else f"{window_days}日")
        head = (f"Final report (確報, {article}): within {span} of discovery" if en
                else f"確報（{article}）: 発覚から{span}以内")
    if discovered is None:
        return head, ("The discovery date is not stated, so the deadline cannot be set." if en
                      else "発覚日が不明のため、期限を計算できません。")
    sum_ = (f"discovered {_d(discovered, en)} + {window_days} days = due {_d(due, en)}" if en
            else f"発覚 {_d(discovered, en)} + {window_days}日 = 期限 {_d(due, en)}")
    if reported is None:
        what = missing_fact(missing or "reported_to_ppc_on", lang)
        return head, (f"{sum_}; {what} is not stated." if en else f"{sum_}。{what}は出典にありません。")
    gap = (reported - discovered).days
    cmp_ = "≤" if gap <= window_days else ">"
    arith = (f"{sum_}; reported {_d(reported, en)} − discovered = {gap} days {cmp_} {window_days}" if en
             else f"{sum_}。報告 {_d(reported, en)} − 発覚 = {gap}日 {cmp_} {window_days}日")
    if verdict == "unknown" and missing == "attack_type":
        arith += (f" (within {window_alt} if done with intent: the cause decides)" if en
                  else f"（不正の目的なら{window_alt}日以内: 原因次第）")
    return head, arith + ("." if en else "。")
