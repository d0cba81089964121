/// The language of the pages (SPEC §3, §9: Dutch by default, `[reports] language = en`).
/// Every sentence is written in both languages side by side where it is used: `l("…", "…")`.
public enum Language: String, Sendable, CaseIterable {
    case nl, en

    /// The Dutch or the English text.
    func callAsFunction(_ nl: String, _ en: String) -> String { self == .nl ? nl : en }
}
