import Networks
import Tensors

/// Where the model looks: Grad-CAM (Selvaraju et al., 2017) of the popularity logit on the last
/// convolutional feature map.
///
/// Grad-CAM weights each channel k of the feature map A by the spatial mean of ∂logit/∂A_k and keeps
/// the positive part of the weighted sum. In CoverLens the feature map is followed only by global
/// average pooling and the one-logit head (logit = Σ_k w_k · mean_ij A_k(i,j) + b), so the backward
/// pass through those two layers is exact and short: ∂logit/∂A_k(i,j) = w_k / (H·W) at every
/// position, hence α_k = w_k / (H·W) and CAM(i,j) = ReLU(Σ_k α_k · A_k(i,j)).
public enum GradCAM {
    /// The feature-map tap each backbone exposes last before pooling.
    static func lastFeatureMap(_ architecture: String) -> String {
        architecture == EfficientNetLite0.architecture ? "head" : "layer4"
    }

    /// Heatmap in 0…1 at the feature map's resolution (7×7 for 224 inputs) for one image [1, 3, H, W];
    /// nil when the model has no popularity head. All zeros when no region argues for "popular".
    /// The one image runs on one worker of `compute` (the scan calls this between batches).
    public static func heatmap(model: CoverModel, input: Tensor, compute: ComputeContext) -> Heatmap? {
        guard let head = model.popularityHead else { return nil }
        let taps = model.backbone.activations(input, compute: compute.withWorkers(1))
        guard let features = taps[lastFeatureMap(model.architecture)] else { return nil }
        return heatmap(features: features, headWeight: head.weight.value)
    }

    /// Grad-CAM from a feature map [1, C, H, W] and head weights [1, C].
    public static func heatmap(features: Tensor, headWeight: Tensor) -> Heatmap {
        let c = features.shape[1], h = features.shape[2], w = features.shape[3]
        precondition(headWeight.count == c, "head has \(headWeight.count) inputs, feature map \(c) channels")
        let area = Float(h * w)
        var cam = [Float](repeating: 0, count: h * w)
        for k in 0..<c {
            let alpha = headWeight.storage[k] / area          // spatial mean of ∂logit/∂A_k
            guard alpha != 0 else { continue }
            for p in 0..<(h * w) { cam[p] += alpha * features.storage[k * h * w + p] }
        }
        var peak: Float = 0
        for p in cam.indices { cam[p] = max(cam[p], 0); peak = max(peak, cam[p]) }
        if peak > 0 { for p in cam.indices { cam[p] /= peak } }
        return Heatmap(width: w, height: h, values: cam)
    }
}
