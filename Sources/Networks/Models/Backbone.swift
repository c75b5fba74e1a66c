import Support
import Tensors

/// A pretrained CNN that turns an image batch into embeddings (and, with a classifier, logits).
///
/// Conformers implement `features(_:compute:record:)` for a batch on `compute.workers` threads; the
/// extension decides how a batch is spread over cores: images in parallel (one whole forward pass
/// per core, activations stay in that core's cache), or, for a single image, each layer split
/// across the cores.
public protocol Backbone: Sendable {
    /// Human-readable architecture name used in errors and model metadata ("resnet18", …).
    static var architecture: String { get }
    /// Length of `embedding`'s rows: 1280 (EfficientNet-Lite0) or 512 (ResNet18).
    var embeddingDimension: Int { get }
    /// The layer after the embedding: ImageNet's 1000 classes, CoverLens's 1-logit popularity head, or none.
    var classifier: Linear? { get set }
    /// How a batch is spread over cores. `false`: one image at a time per core, so a large-activation
    /// network (EfficientNet: 4.8 MB expanded activations) keeps them in cache (measured 70 vs 49
    /// images per CPU-second). `true`: a sub-batch per core, layer by layer, so a large-weight network
    /// (ResNet18: 45 MB) reads each late layer's weights once per sub-batch (`GroupedConvolution`).
    static var processesSubBatches: Bool { get }
    /// Pooled features `[N, embeddingDimension]` of an NCHW batch `[N, 3, H, W]`; `record` receives
    /// named intermediate activations when non-nil.
    func features(_ x: Tensor, compute: ComputeContext, record: ((String, Tensor) -> Void)?) -> Tensor
    /// The tap `features` records for the last feature map before global pooling ("head", "layer4").
    static var featureMapTap: String { get }
}

extension Backbone {
    /// The pooled features before the classifier: `[N, 3, H, W]` → `[N, embeddingDimension]`.
    public func embedding(_ batch: Tensor, compute: ComputeContext) -> Tensor {
        precondition(batch.rank == 4 && batch.shape[1] == 3, "\(Self.architecture) needs [N, 3, H, W], got \(batch.shape)")
        if batch.shape[0] == 1 {
            return features(batch, compute: compute, record: nil)
        }
        if Self.processesSubBatches {
            return batch.mapBatchChunks(compute: compute) { features($0, compute: compute.withWorkers(1), record: nil) }
        }
        return batch.mapImages(compute: compute) { features($0, compute: compute.withWorkers(1), record: nil) }
    }

    /// Classifier outputs `[N, classes]`; throws when the model has no classifier.
    public func logits(_ batch: Tensor, compute: ComputeContext) throws -> Tensor {
        guard let classifier else { throw NetworkError.noClassifier(architecture: Self.architecture) }
        return classifier.forward(embedding(batch, compute: compute))
    }

    /// Every named intermediate activation of one forward pass ("stem", "block03", "layer2", …,
    /// plus "embedding" and, with a classifier, "logits"), for parity tests and Grad-CAM-style inspection.
    public func activations(_ batch: Tensor, compute: ComputeContext) -> [String: Tensor] {
        var taps: [String: Tensor] = [:]
        let pooled = features(batch, compute: compute) { name, value in taps[name] = value }
        taps["embedding"] = pooled
        if let classifier { taps["logits"] = classifier.forward(pooled) }
        return taps
    }
}
