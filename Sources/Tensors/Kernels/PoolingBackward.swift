import Support
/// Gradients of the pooling kernels in `Pooling.swift`.
extension Tensor {
    /// Max pooling's backward from the forward's winners (`maxPoolWithWinners`): each output's gradient
    /// goes to the input position that won its window; windows may overlap, so gradients add.
    /// dy: `[N, C, Ho, Wo]`, winners: one flat in-plane index per output → dx `inputShape` `[N, C, H, W]`.
    ///
    /// Each plane of dx is cleared just before its gradients are added, while it is in the cache: a
    /// cleared 102 MB tensor (ResNet18's stem at batch 32) had gone out to memory and come back.
    public static func maxPoolBackward(_ dy: Tensor, winners: [Int32], inputShape: [Int], compute: ComputeContext) -> Tensor {
        precondition(inputShape.count == 4 && dy.rank == 4 && dy.shape[0] == inputShape[0] && dy.shape[1] == inputShape[1]
                         && winners.count == dy.count,
                     "max pool backward: dy \(dy.shape), \(winners.count) winners for input \(inputShape)")
        let (planes, area, outArea) = (inputShape[0] * inputShape[1], inputShape[2] * inputShape[3], dy.shape[2] * dy.shape[3])
        var dx = Tensor.uninitialized(shape: inputShape)
        dy.storage.withUnsafeBufferPointer { db in
        winners.withUnsafeBufferPointer { wb in
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            let (dp, wp, dxp) = (db.baseAddress!, wb.baseAddress!, dxb.baseAddress!)
            parallelChunks(planes, workers: compute.workers) { range in
                for plane in range {
                    let dst = dxp + plane * area
                    dst.update(repeating: 0, count: area)
                    let (grad, won) = (dp + plane * outArea, wp + plane * outArea)
                    for i in 0..<outArea { dst[Int(won[i])] += grad[i] }
                }
            }
        }}}
        return dx
    }

    /// Global average pooling: every position of a plane receives `dy / (H·W)`.
    /// dy: `[N, C]` → dx `[N, C, H, W]`.
    public static func globalAveragePoolBackward(_ dy: Tensor, height: Int, width: Int) -> Tensor {
        precondition(dy.rank == 2, "global average pool backward needs [N, C], got \(dy.shape)")
        let area = height * width
        var dx = Tensor.uninitialized(shape: [dy.shape[0], dy.shape[1], height, width])
        let scale = 1 / Float(area)
        dx.storage.withUnsafeMutableBufferPointer { dxb in
            for plane in 0..<dy.count {
                (dxb.baseAddress! + plane * area).update(repeating: dy.storage[plane] * scale, count: area)
            }
        }
        return dx
    }
}
