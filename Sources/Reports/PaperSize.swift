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
