/// Why a figure could not be produced or read; each message names the file and the problem.
public enum RenderingError: Error, CustomStringConvertible, Equatable {
    case surfaceFailed(width: Int, height: Int, reason: String)
    case writeFailed(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case invalidHeatmap(width: Int, height: Int, count: Int)
    case invalidData(figure: String, reason: String)

    public var description: String {
        switch self {
        case .surfaceFailed(let w, let h, let reason):
            "cannot create a \(w)×\(h) drawing surface: \(reason)"
        case .writeFailed(let path, let reason):
            "\(path): cannot write the figure (\(reason))"
        case .readFailed(let path, let reason):
            "\(path): cannot read the PNG (\(reason))"
        case .invalidHeatmap(let w, let h, let count):
            "heatmap of \(w)×\(h) needs \(w * h) values, got \(count)"
        case .invalidData(let figure, let reason):
            "\(figure): \(reason)"
        }
    }
}
