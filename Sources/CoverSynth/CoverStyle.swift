/// The genre look of a synthetic cover. Each style differs from the others in palette, layout
/// and type, so that a good image embedding puts covers of one style next to each other.
public enum CoverStyle: String, CaseIterable, Sendable, Codable {
    /// Dark field, huge condensed title, one accent colour.
    case thriller
    /// Warm pastels, script or italic type, one central figure.
    case romance
    /// Dark gradient, glowing shapes, wide-spaced sans type.
    case scienceFiction = "science-fiction"
    /// Light ground, sparse, small serif type, one quiet motif.
    case literary
    /// Bright flat shapes, round bold multicoloured letters.
    case children
}

/// Which folder of a class-folder data set a cover belongs to.
public enum CoverClass: String, CaseIterable, Sendable, Codable {
    /// Strong contrast, a large title, a single focal image (on average).
    case popular
    /// Busier layouts, weaker contrast, smaller type (on average).
    case other
}

/// The language of a cover's title and author line.
public enum TitleLanguage: String, CaseIterable, Sendable, Codable {
    case english
    case korean
}

/// Why a cover or a set could not be made, with what to do about it.
public enum CoverSynthError: Error, CustomStringConvertible, Equatable {
    case drawingFailed(String)
    case invalidRequest(String)
    case outputNotEmpty(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .drawingFailed(let reason): "cannot draw a cover: \(reason)"
        case .invalidRequest(let reason): reason
        case .outputNotEmpty(let path):
            "\(path) already holds covers; choose an empty folder or pass --replace to regenerate them"
        case .writeFailed(let path, let reason): "\(path): cannot write (\(reason))"
        }
    }
}
