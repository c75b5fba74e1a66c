/// Copies a strided view of a storage into a contiguous row-major array.
///
/// PyTorch tensors are views: element `[i0, i1, …]` lives at storage index
/// `offset + Σ ik·stride_k`. The EfficientNet-Lite0 file stores every weight in TensorFlow
/// order this way (e.g. a 1×1 conv `[O, I, 1, 1]` with strides `(1, O, O·I, O·I)`), so
/// ignoring strides silently scrambles the model.
enum StridedGather {
    /// The largest storage index the view touches, or nil when it overflows or is negative;
    /// -1 for an empty view (it touches nothing).
    static func lastIndex(offset: Int, shape: [Int], strides: [Int]) -> Int? {
        guard offset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else { return nil }
        if shape.contains(0) { return -1 }
        var last = offset
        for (size, stride) in zip(shape, strides) {
            let (step, overflow1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflow2) = last.addingReportingOverflow(step)
            guard !overflow1, !overflow2 else { return nil }
            last = sum
        }
        return last
    }

    /// The view's elements in row-major order. The caller has checked `lastIndex < source.count`.
    static func gather<T>(_ source: [T], offset: Int, shape: [Int], strides: [Int], count: Int) -> [T] {
        guard count > 0 else { return [] }
        let contiguous = contiguousStrides(shape)
        if zip(shape, zip(strides, contiguous)).allSatisfy({ $0.0 == 1 || $0.1.0 == $0.1.1 }) {
            return Array(source[offset ..< offset + count])
        }
        var result: [T] = []
        result.reserveCapacity(count)
        let rank = shape.count
        let innerSize = shape[rank - 1], innerStride = strides[rank - 1]
        var index = [Int](repeating: 0, count: max(rank - 1, 0))   // odometer over the outer dims
        var base = offset
        while true {
            var position = base
            for _ in 0..<innerSize {
                result.append(source[position])
                position += innerStride
            }
            // Advance the odometer: last outer dim fastest.
            var dim = rank - 2
            while dim >= 0 {
                index[dim] += 1
                base += strides[dim]
                if index[dim] < shape[dim] { break }
                base -= strides[dim] * shape[dim]
                index[dim] = 0
                dim -= 1
            }
            if dim < 0 { return result }
        }
    }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for dim in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[dim] = running
            running *= shape[dim]
        }
        return strides
    }
}
