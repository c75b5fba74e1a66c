/// Which folder a cover came from; part of its thumbnail's name.
enum CoverRole: String, Sendable, CaseIterable {
    case candidates
    case popular
    case other

    /// Splits a style-cluster exemplar ("popular/a/b.jpg") into its role and the path inside the folder.
    static func split(prefixed path: String) -> (role: CoverRole, file: String)? {
        guard let slash = path.firstIndex(of: "/"), let role = CoverRole(rawValue: String(path[..<slash])) else { return nil }
        return (role, String(path[path.index(after: slash)...]))
    }
}
