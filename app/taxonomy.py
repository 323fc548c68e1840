"""Attack types and their labels in Japanese and English (../shared/spec/taxonomy.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttackType:
    key: str
    ja: str
    en: str
    colour: str  # chart colour; the label always travels with it, never colour alone


ATTACK_TYPES: tuple[AttackType, ...] = (
    AttackType("web_skimming", "決済画面改ざん(カード情報窃取)", "Payment-page skimming", "#d62728"),
    AttackType("unauthorized_access", "不正アクセス(侵入・脆弱性悪用)", "Intrusion / exploitation", "#1f77b4"),
    AttackType("ransomware", "ランサムウェア", "Ransomware", "#9467bd"),
    AttackType("malware", "マルウェア感染", "Malware (non-ransomware)", "#8c564b"),
    AttackType("account_takeover", "不正ログイン(アカウント乗っ取り)", "Account takeover", "#ff7f0e"),
    AttackType("phishing", "フィッシング", "Phishing", "#e377c2"),
    AttackType("misdelivery", "誤送信・誤送付", "Misdelivery", "#2ca02c"),
    AttackType("misconfiguration", "設定不備・誤公開", "Misconfiguration / exposure", "#17becf"),
    AttackType("loss_theft", "紛失・盗難", "Loss or theft", "#bcbd22"),
    AttackType("insider", "内部不正", "Insider misuse", "#7f7f7f"),
    AttackType("other", "その他・不明", "Other / unknown", "#aec7e8"),
)

BY_KEY: dict[str, AttackType] = {t.key: t for t in ATTACK_TYPES}
KEYS: tuple[str, ...] = tuple(BY_KEY)

# Qualifiers a count may carry; kept beside the number instead of being lost.
QUALIFIERS: tuple[str, ...] = ("最大", "約", "以上", "可能性", "調査中")
STATUSES: tuple[str, ...] = ("confirmed", "possible", "investigating", "none")
EVENT_TYPES: tuple[str, ...] = (
    "incident_start", "anomaly_detected", "access_confirmed", "leak_possible", "leak_confirmed",
    "notified_by_third_party", "containment", "reported_to_ppc", "reported_to_police",
    "customers_notified", "disclosed", "update",
)


def label(key: str, lang: str = "ja") -> str:
    kind = BY_KEY.get(key, BY_KEY["other"])
    return kind.en if lang == "en" else kind.ja
