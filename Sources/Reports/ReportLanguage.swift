/// The language every report string comes from (`Templates/locales/<code>.json`).
public enum ReportLanguage: String, CaseIterable, Sendable {
    case en
    case ko
}
