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
        if batch.shape[0] == 1 { return featureMap(batch, compute: compute) }
        if Self.processesSubBatches { return batch.mapBatchChunks(compute: compute) { featureMapsOnOneCore($0, compute: compute) } }
        return batch.mapImages(compute: compute) { featureMapsOnOneCore($0, compute: compute) }
    }

    /// The pieces `featureMaps` runs whole on one core each when it spreads a batch of `images`
    /// (at least two) over `workers` cores: sub-batches as `Tensor.mapBatchChunks` cuts them, or
    /// single images (`processesSubBatches`).
    ///
    /// A caller that schedules the pieces on threads of its own (`coverlens embed`'s network workers,
    /// which go on with the next batch's pieces instead of waiting at the end of each batch) gets
    /// `featureMaps`' bits by running each piece through `featureMapsOnOneCore` and stacking the
    /// results in order.
    public func featureMapPieces(images: Int, workers: Int) -> [Range<Int>] {
        let slices = Self.processesSubBatches ? Tensor.subBatchCount(images: images, workers: workers) : images
        return (0..<slices).map { Tensor.batchSlice($0, of: slices, images: images) }
    }

    /// `featureMaps` of one of `featureMapPieces`' pieces, on the calling thread alone.
    public func featureMapsOnOneCore(_ piece: Tensor, compute: ComputeContext) -> Tensor {
        featureMap(piece, compute: compute.withWorkers(1))
    }

    /// The `featureMapTap` activation of one forward pass of `x` on `compute.workers` threads.
    private func featureMap(_ x: Tensor, compute: ComputeContext) -> Tensor {
        var map: Tensor?
        _ = features(x, compute: compute) { name, value in if name == Self.featureMapTap { map = value } }
        guard let map else { preconditionFailure("\(Self.architecture) recorded no \"\(Self.featureMapTap)\" feature map") }
        return map
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
