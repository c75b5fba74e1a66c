/// Why a report could not be written; every message names the file or folder and what to do.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case templatesNotFound(searched: [String])
    case unreadableTemplate(path: String, reason: String)
    case unreadableLocale(path: String, reason: String)
    case renderFailed(template: String)
    case notABundle(path: String)
    case writeFailed(path: String, reason: String)
    case unreadableTrainingLog(path: String, reason: String)
    case noFormats

    public var description: String {
        switch self {
        case .templatesNotFound(let searched):
            "cannot find the report templates (a Templates/ folder with locales/en.json); looked in: "
                + searched.joined(separator: ", ") + ". Run coverlens from the project folder or keep Templates/ next to the binary"
        case .unreadableTemplate(let path, let reason):
            "\(path): cannot load the report template (\(reason))"
        case .unreadableLocale(let path, let reason):
            "\(path): cannot load the report strings (\(reason)); the file must be a JSON object of strings"
        case .renderFailed(let template):
            "the report template \(template) could not be rendered (is it in Templates/?)"
        case .notABundle(let path):
            "\(path): exists and holds more than a CoverLens report; refusing to replace it — choose another --out"
        case .writeFailed(let path, let reason):
            "\(path): cannot write the report (\(reason)); choose another --out or free disk space (the previous report, if any, is unchanged)"
        case .unreadableTrainingLog(let path, let reason):
            "\(path): not a CoverLens training log (\(reason))"
        case .noFormats:
            "no report format chosen; use --format html, pdf or html,pdf"
        }
    }
}
