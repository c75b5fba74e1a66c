/// A cover as one thumbnail of the bundle.
struct CoverKey: Hashable, Sendable {
    var role: CoverRole
    /// Path inside the role's folder, exactly as results.json records it.
    var file: String
}
