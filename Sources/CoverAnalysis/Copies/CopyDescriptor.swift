import Foundation
import Tensors

/// The copy detector's instance-level descriptor of a cover: generalised-mean (GeM) pooling of the
/// backbone's last feature map, L2-normalised.
///
/// The style embedding averages the map (p = 1): every position counts the same, so a re-save or a
/// crop that moves many weak activations moves the embedding. GeM with p = 3 (Radenović, Tolias and
/// Chum, "Fine-tuning CNN image retrieval with no human annotation", 2018) weights each channel
/// towards its strongest positions, the distinctive parts of this particular cover, which survive
/// re-encoding, cropping and recolouring; it stays between average (p = 1) and max pooling (p → ∞),
/// which is noisier on a 7×7 map. The choice among average, GeM, max, R-MAC regions and a spatial
/// grid was made on the edited-copy benchmark (README, "Near-duplicates").
///
/// It comes from the same forward pass as the embedding, so it costs no extra network time.
public enum CopyDescriptor {
    /// GeM's exponent.
    public static let power: Float = 3
    /// Names the recipe in the embedding store: change it whenever the descriptor's values change.
    public static let version = "copy-gem3-v1"

    /// `maps` [N, C, h, w] (non-negative, as after ReLU/ReLU6) → [N, C], rows of unit length.
    public static func describe(_ maps: Tensor) -> Tensor {
        precondition(maps.rank == 4, "feature maps must be [N, C, h, w], got \(maps.shape)")
        let (n, c, positions) = (maps.shape[0], maps.shape[1], maps.shape[2] * maps.shape[3])
        var out = [Float](repeating: 0, count: n * c)
        for i in 0..<n {
            var norm: Double = 0
            for channel in 0..<c {
                let base = (i * c + channel) * positions
                var sum: Double = 0
                for j in 0..<positions {
                    sum += pow(Double(max(maps.storage[base + j], 1e-6)), Double(power))
                }
                let value = pow(sum / Double(positions), 1 / Double(power))
                out[i * c + channel] = Float(value)
                norm += value * value
            }
            let scale = norm > 0 ? Float(1 / norm.squareRoot()) : 0
            for channel in 0..<c { out[i * c + channel] *= scale }
        }
        return Tensor(shape: [n, c], storage: out)
    }
}
