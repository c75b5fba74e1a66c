/// `('storage', torch.FloatStorage, key, location, numel)`: where a tensor's data lives.
struct TorchStorageReference {
    var type: TorchStorageType
    var key: String
    /// Number of elements (not bytes) the storage holds.
    var count: Int
}
