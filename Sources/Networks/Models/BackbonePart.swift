/// Where a layer sits in a backbone, which decides whether a fine-tuning mode trains it
/// (`FineTuneMode.trains`): the stem, one of the repeated blocks (index from 0), or a layer after
/// the blocks (EfficientNet-Lite0's 1×1 head convolution).
public enum BackbonePart: Equatable, Sendable {
    case stem
    case block(Int)
    case top
}
