/// Which class a one-logit head predicts: sigmoid(logit) is p(popular), or p(other).
///
/// CoverLens's own heads predict "popular". The PyTorch recipe labels its two `ImageFolder` class
/// folders 0 and 1 in sorted name order and trains BCE on those labels, so its logit predicts the
/// class whose folder name sorts *second*: with `popular/` and `unpopular/`, or `bestseller/` and
/// `other/`, that is the other covers. A model file records the answer (`logitMeans`), and
/// `CoverModel` turns such a head round when it loads it, so everything after sees p(popular).
public enum LogitMeaning: String, CaseIterable, Sendable {
    case popular, other

    /// The metadata key of a model file that records it; absent means `popular`.
    public static let metadataKey = "logitMeans"

    /// What the recipe's logit means, from the names of its two class folders: the folder that
    /// sorts second the way Python's `sorted` does (by Unicode code point), as `ImageFolder` sorts.
    /// Nil when the names are equal.
    public init?(popularFolder: String, otherFolder: String) {
        guard popularFolder != otherFolder else { return nil }
        self = otherFolder.unicodeScalars.lexicographicallyPrecedes(popularFolder.unicodeScalars) ? .popular : .other
    }
}
