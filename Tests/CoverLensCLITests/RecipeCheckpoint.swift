import Foundation

/// The PyTorch recipe's checkpoint and what it must give, for the import tests: the file that
/// `scripts/make-pth-fixtures.py --recipe` writes (45 MB, kept out of git, made on first use), and
/// its one-logit head recomputed here from the reference README's formula, so the expected
/// probabilities do not come from CoverLens.
enum RecipeCheckpoint {
    static func file() throws -> URL { try made.get() }

    private static let made = Result { () throws -> URL in
        let script = CLI.repository.appendingPathComponent("scripts/make-pth-fixtures.py")
        let file = CLI.repository.appendingPathComponent(".build/fixtures/recipe-resnet18.pth")
        func modified(_ url: URL) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        }
        if let made = modified(file), let edited = modified(script), made >= edited { return file }
        guard let run = CLI.tool("/usr/bin/env", ["python3", script.path, "--recipe", file.path]), run.status == 0 else {
            throw CLI.Missing(what: "the recipe checkpoint", searched: [file.path],
                              remedy: "`python3 \(script.path) --recipe \(file.path)` failed; it needs python3 (scripts/setup.sh installs it)")
        }
        return file
    }

    /// The formula's tensor k (ResNet18 state-dict order, no num_batches_tracked), element i, as the
    /// reference README defines it, for a linear layer's weight (fan-in `fanIn`) or a bias.
    static func formula(k: Int, i: Int, fanIn: Int?) -> Float {
        let u = UInt32(truncatingIfNeeded: UInt64(i + 1) &* 2_654_435_761 &+ UInt64(k) &* 40503)
        let s = 2 * (Double(u) / 4_294_967_296.0) - 1
        return Float(fanIn.map { (6.0 / Double($0)).squareRoot() * s } ?? 0.1 * s)
    }

    /// The recipe's head, base_model.fc = nn.Linear(512, 1): tensors 100 and 101 of the formula.
    static let weight = (0..<512).map { formula(k: 100, i: $0, fanIn: 512) }
    static let bias = formula(k: 101, i: 0, fanIn: nil)

    /// sigmoid(w · embedding + b), in Double.
    static func probability(embedding: [Float]) -> Double {
        let logit = zip(weight, embedding).reduce(Double(bias)) { $0 + Double($1.0) * Double($1.1) }
        return 1 / (1 + exp(-logit))
    }
}

extension SafetensorsHeader {
    /// The F32 tensor `name` of the safetensors file `data` (whose header this is), row-major.
    func floats(_ name: String, in data: Data) -> [Float]? {
        guard let entry = json[name] as? [String: Any], entry["dtype"] as? String == "F32",
              let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else { return nil }
        let start = data.count - dataBytes + offsets[0], end = data.count - dataBytes + offsets[1]
        guard start >= 0, end <= data.count, (end - start) % 4 == 0 else { return nil }
        return stride(from: start, to: end, by: 4).map { at in
            Float(bitPattern: data[at..<(at + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) })
        }
    }
}
