import Foundation
import Tensors
@testable import Networks

/// A PyTorch reference file from `Tests/Fixtures/reference/`, read with the checkpoint reader.
struct ReferenceFile {
    let file: SafeTensors

    init(_ name: String) throws {
        file = try SafeTensors(contentsOf: CheckpointFixtures.reference(name))
    }

    /// Values widened to Double (F32 and F64 tensors alike).
    func values(_ name: String) throws -> [Double] {
        guard let stored = file[name] else { throw FixtureError("reference tensor \(name) missing") }
        return stored.doubles
    }

    func tensor(_ name: String) throws -> Tensor {
        try file.tensor(name)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Cosine similarity of two equally long vectors, in Double.
func cosine(_ a: [Double], _ b: [Double]) -> Double {
    var dot = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) { dot += x * y; na += x * x; nb += y * y }
    return dot / (na.squareRoot() * nb.squareRoot())
}
