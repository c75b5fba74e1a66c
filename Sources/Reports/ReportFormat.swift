/// The pages a report bundle contains besides the always-written results.json and results.csv.
public enum ReportFormat: String, CaseIterable, Sendable, Hashable {
    case html
    case pdf
}
