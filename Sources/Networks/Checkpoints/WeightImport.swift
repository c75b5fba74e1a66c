import Foundation

/// Turns PyTorch weights into a CoverLens model file (`coverlens import-weights`).
///
/// The steps: read any supported checkpoint (`loadStateDict`), bring its names to the
/// backbone's (`CheckpointLayout`), check every tensor against the architecture (the model's own
/// `init(stateDict:)`, so the rules live in one place), and attach the metadata that makes the
/// file self-describing. Tensor names and values stay PyTorch's, so the file loads back into
/// PyTorch: a logit that predicts the other class is recorded (`logitMeans`), not negated.
public enum WeightImport {
    public static func model(from url: URL, architecture: ModelArchitecture, preprocessing: String,
                             logitMeans: LogitMeaning = .popular) throws -> SafeTensors {
        let dict = try CheckpointLayout.backboneNames(loadStateDict(contentsOf: url), architecture: architecture)
        try architecture.validate(dict)
        let metadata = ModelFileMetadata(architecture: architecture, preprocessing: preprocessing,
                                         head: ModelHead(of: dict, architecture: architecture), logitMeans: logitMeans,
                                         extra: ["source": url.lastPathComponent])
        return SafeTensors(tensors: dict, metadata: metadata.dictionary)
    }
}
