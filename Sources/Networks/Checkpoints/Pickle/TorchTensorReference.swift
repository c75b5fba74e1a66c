/// `_rebuild_tensor_v2(storage, offset, size, stride, …)`: a strided view into a storage.
struct TorchTensorReference {
    var storage: TorchStorageReference
    var offset: Int
    var shape: [Int]
    var strides: [Int]
}
