/// How 8-bit pixels become the floats a backbone was trained on.
///
/// - `efficientNet`: `(x − 127) / 128` per channel. The EfficientNet-Lite0 weights are a conversion
///   of TensorFlow's "edge" checkpoint, trained with mean 127 / std 128; the reference README shows
///   that ImageNet mean/std instead moves the embedding to cosine 0.895. The ResNet18 references use
///   it too. Exact in Float32; values lie in [−0.9922, 1].
/// - `imagenet`: torchvision's `ToTensor()` + `Normalize(mean: (0.485, 0.456, 0.406),
///   std: (0.229, 0.224, 0.225))`, i.e. `(x / 255 − mean) / std` in Float32, for backbones trained
///   the torchvision way.
///
/// The raw values (`"efficientnet"`, `"imagenet"`) are what model metadata records; keep them stable.
public enum Normalization: String, Codable, CaseIterable, Sendable {
    case efficientNet = "efficientnet"
    case imagenet = "imagenet"

    /// The normalised value of byte `value` in channel `channel` (0 R, 1 G, 2 B), computed with
    /// the same Float32 operations, in the same order, as the Python recipe.
    public func value(_ value: UInt8, channel: Int) -> Float {
        switch self {
        case .efficientNet:
            return (Float(value) - 127) / 128
        case .imagenet:
            let mean: [Float] = [0.485, 0.456, 0.406]
            let std: [Float] = [0.229, 0.224, 0.225]
            return (Float(value) / 255 - mean[channel]) / std[channel]
        }
    }

    /// [3 * 256] the value of every byte in every channel: one table lookup per sample, and
    /// bit-identical to `value(_:channel:)` by construction.
    var lookupTable: [Float] {
        (0..<3).flatMap { c in (0...255).map { value(UInt8($0), channel: c) } }
    }
}
