import Support
import Tensors

extension Backbone {
    /// The last feature map before global pooling, `[N, 3, H, W]` → `[N, C, H/32, W/32]`
    /// (EfficientNet-Lite0: `[N, 1280, 7, 7]` at 224 px; ResNet18: `[N, 512, 7, 7]`).
    ///
    /// Instance-level descriptors (the copy detector's) pool this map their own way; the embedding is
    /// `GlobalAveragePool().forward` of it, bit for bit the same as `embedding(_:)`. A batch is spread
    /// over cores as `embedding(_:)` spreads it.
    public func featureMaps(_ batch: Tensor, compute: ComputeContext) -> Tensor {
        precondition(batch.rank == 4 && batch.shape[1] == 3, "\(Self.architecture) needs [N, 3, H, W], got \(batch.shape)")
        let tap = Self.featureMapTap
        let run = { (x: Tensor, compute: ComputeContext) -> Tensor in
            var map: Tensor?
            _ = features(x, compute: compute) { name, value in if name == tap { map = value } }
            guard let map else { preconditionFailure("\(Self.architecture) recorded no \"\(tap)\" feature map") }
            return map
        }
        if batch.shape[0] == 1 { return run(batch, compute) }
        if Self.processesSubBatches { return batch.mapBatchChunks(compute: compute) { run($0, compute.withWorkers(1)) } }
        return batch.mapImages(compute: compute) { run($0, compute.withWorkers(1)) }
    }
}

extension EfficientNetLite0 {
    /// The head convolution's output (1×1 conv 320→1280 + BN + ReLU6), before pooling.
    public static let featureMapTap = "head"
}

extension ResNet18 {
    /// `layer4`'s output, before pooling.
    public static let featureMapTap = "layer4"
}
