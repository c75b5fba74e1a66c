import Foundation

/// A dense Float32 array with a shape, stored contiguously in row-major order.
///
/// Images travel as NCHW batches `[N, C, H, W]`, embeddings as `[N, D]`, weights in PyTorch's layout
/// (`[out, in, kh, kw]`), so checkpoints and reference tensors load without transposition.
/// `Tensor` is a value type: copies are cheap until one side writes (copy-on-write through `Array`).
public struct Tensor: Equatable, Sendable {
    public private(set) var shape: [Int]
    public var storage: [Float]

    /// A tensor of the given shape, filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.storage = largeStorage(count: shape.reduce(1, *), fill: value)
    }

    /// A tensor over existing values; `storage.count` must equal the product of `shape`.
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.reduce(1, *) == storage.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// Number of elements.
    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    /// The same values under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Element access by full index, row-major. Meant for tests and small tensors, not kernels.
    public subscript(_ index: Int...) -> Float {
        get { storage[offset(of: index)] }
        set { storage[offset(of: index)] = newValue }
    }

    private func offset(of index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var offset = 0
        for (i, dim) in zip(index, shape) {
            precondition(i >= 0 && i < dim, "index \(index) out of bounds for shape \(shape)")
            offset = offset * dim + i
        }
        return offset
    }

    /// Rows `range` along the first dimension (e.g. images `range` of a batch).
    public func slice(batch range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0])
        let inner = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [range.count] + shape.dropFirst(),
                      storage: Array(storage[range.lowerBound * inner ..< range.upperBound * inner]))
    }

    /// Joins tensors along their first dimension, which may differ between them (the rest of the
    /// shapes must agree): `[1,C,H,W]` ×N → `[N,C,H,W]`, `[B,D]` ×N → `[N·B,D]`, `[1,D]` and `[2,D]` →
    /// `[3,D]` (the uneven sub-batches of `mapBatchChunks`). (To stack `[C,H,W]` images into a batch,
    /// give each a leading 1 first.)
    public static func concatenate(batch parts: [Tensor]) -> Tensor {
        guard let first = parts.first else { return Tensor(shape: [0]) }
        let rest = first.rank >= 1 ? Array(first.shape.dropFirst()) : []
        precondition(parts.allSatisfy { $0.rank == first.rank && ($0.rank >= 1 ? Array($0.shape.dropFirst()) : []) == rest },
                     "stacking tensors of different shapes")
        var storage = [Float]()
        storage.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { storage.append(contentsOf: part.storage) }
        let leading = first.rank >= 1 ? parts.reduce(0) { $0 + $1.shape[0] } : parts.count
        return Tensor(shape: [leading] + rest, storage: storage)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = storage.prefix(6).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 6 ? ", …" : "")]"
    }
}
