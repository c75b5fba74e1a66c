import Foundation
import Reports

extension ReportLanguage {
    /// The report language the user's locale asks for when `--lang` is not given: the first of
    /// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set (POSIX precedence), by its language part
    /// (`ko_KR.UTF-8` → ko); English when it names no language a report is written in (`C`, `POSIX`, `de_DE`).
    public static func preferred(environment: [String: String] = ProcessInfo.processInfo.environment) -> ReportLanguage {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            let code = value.prefix { $0.isLetter }.lowercased()
            return ReportLanguage(rawValue: code) ?? .en
        }
        return .en
    }
}
