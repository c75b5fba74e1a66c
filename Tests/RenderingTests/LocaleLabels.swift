import Foundation
import Rendering

/// The figure words of the report's own locale files, so Rendering's tests draw exactly what a
/// report does and no second copy of the words exists anywhere.
extension FigureLabels {
    static let english = FigureLabels.locale("en")
    static let korean = FigureLabels.locale("ko")

    /// Labels from `Templates/locales/<language>.json` (dotted keys into its nested objects).
    static func locale(_ language: String) -> FigureLabels {
        let url = RenderingTestPaths.templates.appendingPathComponent("locales/\(language).json")
        guard let data = try? Data(contentsOf: url),
              let tree = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            fatalError("cannot read \(url.path)")
        }
        return FigureLabels { key in
            var node: Any = tree
            for part in key.split(separator: ".") { node = (node as? [String: Any])?[String(part)] ?? key }
            return node as? String ?? key
        }
    }
}

enum RenderingTestPaths {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Templates")
}
