import Foundation

/// A JSON object read from one of coverlens's output files, with typed look-ups whose errors
/// name the file and the key (this target imports no CoverLens module, so no Codable types).
struct JSONFile {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    let object: [String: Any]
    let url: URL

    init(_ url: URL) throws {
        let value = try JSONSerialization.jsonObject(with: try Data(contentsOf: url))
        try self.init(value, in: url)
    }

    /// A nested object (`value` came from `url`).
    init(_ value: Any, in url: URL) throws {
        guard let object = value as? [String: Any] else { throw Problem(description: "\(url.path): expected a JSON object") }
        self.object = object
        self.url = url
    }

    private func value<T>(_ key: String, as type: T.Type) throws -> T {
        guard let value = object[key] as? T else {
            throw Problem(description: "\(url.path): \"\(key)\" is missing or not a \(T.self) (keys: \(object.keys.sorted()))")
        }
        return value
    }

    func array(_ key: String) throws -> [Any] { try value(key, as: [Any].self) }
    func string(_ key: String) throws -> String { try value(key, as: String.self) }
    func int(_ key: String) throws -> Int { try value(key, as: NSNumber.self).intValue }
    func double(_ key: String) throws -> Double { try value(key, as: NSNumber.self).doubleValue }
}

extension JSONFile {
    /// A JSON object kept as text inside `url` (a safetensors header, a metadata string).
    init(_ url: URL, parsing text: Data) throws {
        try self.init(try JSONSerialization.jsonObject(with: text), in: url)
    }

    func object(_ key: String) throws -> Any {
        guard let value = object[key] else {
            throw Problem(description: "\(url.path): \"\(key)\" is missing (keys: \(object.keys.sorted()))")
        }
        return value
    }
}
