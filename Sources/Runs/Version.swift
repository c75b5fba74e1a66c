/// The CoverLens release, shown by `--version` and recorded in every results file as its generator.
public enum Version {
    public static let number = "0.1.0"
    /// What results.json's `generator` says made it.
    public static var generator: String { "coverlens \(number)" }
}
