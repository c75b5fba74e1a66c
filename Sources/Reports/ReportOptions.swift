/// The pages a report bundle contains besides the always-written results.json and results.csv.
public enum ReportFormat: String, CaseIterable, Sendable, Hashable {
    case html
    case pdf
}

/// The language every report string comes from (`Templates/locales/<code>.json`).
public enum ReportLanguage: String, CaseIterable, Sendable {
    case en
    case ko
}

/// PDF page sizes in points (1/72 in): A4 is the default outside North America.
public enum PaperSize: String, CaseIterable, Sendable {
    case a4
    case letter

    public var width: Double {
        switch self {
        case .a4: 595.28
        case .letter: 612
        }
    }

    public var height: Double {
        switch self {
        case .a4: 841.89
        case .letter: 792
        }
    }
}
