/// The parts of a model's recorded ``Preprocessing`` that a run may change from the command line
/// (`--colour-management`, `--jpeg-draft`); nil keeps what the model file records.
///
/// Either changes the pixels a model sees, so an overridden model has another embedding
/// fingerprint (its cache entries are its own), and a model trained with an override records it.
public struct PreprocessingOverrides: Equatable, Sendable {
    public var colourManagement: Bool?
    public var jpegDraft: Bool?

    public init(colourManagement: Bool? = nil, jpegDraft: Bool? = nil) {
        self.colourManagement = colourManagement
        self.jpegDraft = jpegDraft
    }

    /// No override: the model's own preprocessing.
    public static let none = PreprocessingOverrides()

    /// `preprocessing` with the overridden settings replaced.
    public func applied(to preprocessing: Preprocessing) -> Preprocessing {
        var preprocessing = preprocessing
        if let colourManagement { preprocessing.colourManagement = colourManagement }
        if let jpegDraft { preprocessing.jpegDraft = jpegDraft }
        return preprocessing
    }
}
