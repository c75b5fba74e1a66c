/// The `__metadata__` of a CoverLens model file (one `.safetensors` holding a backbone and head).
///
/// Safetensors metadata is string → string, so structured values (the preprocessing) are JSON
/// strings. Recording architecture, preprocessing and head in the file means a model is always
/// run the way it was trained, whatever the command line says.
public struct ModelFileMetadata: Equatable, Sendable {
    public static let format = "coverlens-model"
    public static let version = "1"

    public var architecture: ModelArchitecture
    /// The Imaging `Preprocessing` as JSON, e.g. `{"geometry":"stretch","normalization":"efficientnet","size":224}`.
    public var preprocessing: String
    public var head: ModelHead
    /// Which class a `.popularity` head's logit predicts; stored only for such a head.
    public var logitMeans: LogitMeaning
    /// Anything else (training configuration, validation metrics, source file), kept as is.
    public var extra: [String: String]

    public init(architecture: ModelArchitecture, preprocessing: String, head: ModelHead, logitMeans: LogitMeaning = .popular,
                extra: [String: String] = [:]) {
        self.architecture = architecture
        self.preprocessing = preprocessing
        self.head = head
        self.logitMeans = logitMeans
        self.extra = extra
    }

    /// Reads and checks the metadata of the model file at `path`.
    public init(_ metadata: [String: String], path: String) throws {
        func field(_ key: String) throws -> String {
            guard let value = metadata[key] else {
                throw CheckpointError.invalidInput(path: path, detail: "not a CoverLens model: metadata has no '\(key)' (convert weights with coverlens import-weights)")
            }
            return value
        }
        guard try field("format") == Self.format else {
            throw CheckpointError.invalidInput(path: path, detail: "metadata format '\(metadata["format"] ?? "")' is not \(Self.format)")
        }
        guard try field("version") == Self.version else {
            throw CheckpointError.invalidInput(path: path, detail: "model file version \(metadata["version"] ?? "") is newer than this CoverLens reads (\(Self.version))")
        }
        let architectureName = try field("architecture")
        guard let architecture = ModelArchitecture(rawValue: architectureName) else {
            throw CheckpointError.invalidInput(path: path, detail: "unknown architecture '\(architectureName)'")
        }
        guard let head = ModelHead(rawValue: try field("head")) else {
            throw CheckpointError.invalidInput(path: path, detail: "unknown head '\(metadata["head"] ?? "")'")
        }
        let meaning = try Self.logitMeaning(metadata, path: path)
        self.init(architecture: architecture, preprocessing: try field("preprocessing"), head: head, logitMeans: meaning,
                  extra: metadata.filter { !["format", "version", "architecture", "preprocessing", "head", LogitMeaning.metadataKey].contains($0.key) })
    }

    /// The recorded `logitMeans` (absent: `popular`, as every head CoverLens trains).
    public static func logitMeaning(_ metadata: [String: String], path: String) throws -> LogitMeaning {
        guard let text = metadata[LogitMeaning.metadataKey] else { return .popular }
        guard let meaning = LogitMeaning(rawValue: text) else {
            throw CheckpointError.invalidInput(path: path, detail: "metadata \(LogitMeaning.metadataKey) '\(text)' is neither popular nor other")
        }
        return meaning
    }

    /// The string dictionary to store as `__metadata__`.
    public var dictionary: [String: String] {
        var fixed = ["format": Self.format, "version": Self.version, "architecture": architecture.rawValue,
                     "preprocessing": preprocessing, "head": head.rawValue]
        if head == .popularity { fixed[LogitMeaning.metadataKey] = logitMeans.rawValue }
        return extra.filter { $0.key != LogitMeaning.metadataKey }.merging(fixed) { _, fixed in fixed }
    }
}
