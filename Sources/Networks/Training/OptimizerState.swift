import Foundation
import Tensors

/// A serialisable snapshot of an optimiser: kind, hyper-parameters, per-parameter step counts and
/// per-parameter buffers (Adam's `exp_avg`/`exp_avg_sq`, SGD's `momentum_buffer` — PyTorch's names).
///
/// It maps onto a safetensors checkpoint as tensors named `optimizer.<parameter>.<buffer>` plus one
/// metadata entry `optimizer` holding JSON, so a model file can carry its optimiser beside its weights.
public struct OptimizerState: Equatable, Sendable {
    /// "adam", "adamw" or "sgd".
    public var kind: String
    /// Hyper-parameters by PyTorch's names (`lr`, `betas0`, `eps`, `weight_decay`, `momentum`, …).
    public var hyperparameters: [String: Double]
    /// Updates applied so far, per parameter name (PyTorch's `state[p]["step"]`).
    public var steps: [String: Int]
    /// Buffers per parameter name, then per buffer name.
    public var buffers: [String: [String: Tensor]]

    public init(kind: String, hyperparameters: [String: Double],
                steps: [String: Int] = [:], buffers: [String: [String: Tensor]] = [:]) {
        self.kind = kind
        self.hyperparameters = hyperparameters
        self.steps = steps
        self.buffers = buffers
    }

    /// Prefix of every tensor name and the metadata key.
    public static let prefix = "optimizer"

    /// Tensors for a checkpoint: `optimizer.<parameter>.<buffer>`.
    public func tensors() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (parameter, named) in buffers {
            for (buffer, tensor) in named { result[ModulePath(Self.prefix, parameter).key(buffer)] = tensor }
        }
        return result
    }

    /// String metadata for a checkpoint: one `optimizer` entry with kind, hyper-parameters and steps.
    public func metadata() -> [String: String] {
        let header = Header(kind: kind, hyperparameters: hyperparameters, steps: steps)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of strings, finite doubles and ints cannot fail; non-finite
        // hyper-parameters are rejected when optimisers are built.
        let json = (try? encoder.encode(header)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return [Self.prefix: json]
    }

    /// Rebuilds a state from a checkpoint's tensors and metadata (other entries are ignored).
    /// - Parameter source: names the file in error messages.
    public init(tensors: [String: Tensor], metadata: [String: String], source: String = "checkpoint") throws {
        guard let json = metadata[Self.prefix] else { throw OptimizerStateError.missingMetadata(source: source) }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(json.utf8))
        } catch {
            throw OptimizerStateError.malformedMetadata(source: source, reason: "\(error)")
        }
        var buffers: [String: [String: Tensor]] = [:]
        let lead = Self.prefix + "."
        for (name, tensor) in tensors where name.hasPrefix(lead) {
            let rest = name.dropFirst(lead.count)
            guard let dot = rest.lastIndex(of: "."), dot != rest.startIndex else {
                throw OptimizerStateError.malformedTensorName(source: source, name: name)
            }
            buffers[String(rest[..<dot]), default: [:]][String(rest[rest.index(after: dot)...])] = tensor
        }
        self.init(kind: header.kind, hyperparameters: header.hyperparameters, steps: header.steps, buffers: buffers)
    }

    /// Checks that every saved buffer has its parameter's shape; call it after loading a checkpoint,
    /// before the first `update`, so a state from another model is a typed error rather than a crash.
    public func validate(against parameters: [Parameter]) throws {
        let shapes = Dictionary(parameters.map { ($0.name, $0.value.shape) }, uniquingKeysWith: { first, _ in first })
        for (name, named) in buffers {
            guard let shape = shapes[name] else { continue }   // state for a parameter this model lacks is unused
            for (buffer, tensor) in named where tensor.shape != shape {
                throw OptimizerStateError.bufferShape(parameter: name, buffer: buffer, expected: shape, found: tensor.shape)
            }
        }
    }

    /// A hyper-parameter that must be present, or a typed error naming it.
    func require(_ key: String) throws -> Double {
        guard let value = hyperparameters[key] else { throw OptimizerStateError.missingHyperparameter(kind: kind, name: key) }
        return value
    }

    private struct Header: Codable {
        var kind: String
        var hyperparameters: [String: Double]
        var steps: [String: Int]
    }
}

/// Why a saved optimiser state cannot be restored.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    case missingMetadata(source: String)
    case malformedMetadata(source: String, reason: String)
    case malformedTensorName(source: String, name: String)
    case wrongKind(expected: String, found: String)
    case missingHyperparameter(kind: String, name: String)
    case bufferShape(parameter: String, buffer: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missingMetadata(let s): "\(s): no `optimizer` metadata entry, so the optimiser cannot resume"
        case .malformedMetadata(let s, let r): "\(s): the `optimizer` metadata is not valid JSON state (\(r))"
        case .malformedTensorName(let s, let n): "\(s): tensor \(n) is not named optimizer.<parameter>.<buffer>"
        case .wrongKind(let e, let f): "saved optimiser state is for \(f), not \(e)"
        case .missingHyperparameter(let k, let n): "saved \(k) state lacks the hyper-parameter \(n)"
        case .bufferShape(let p, let b, let e, let f):
            "saved \(b) for \(p) has shape \(f) but the parameter has shape \(e)"
        }
    }
}
