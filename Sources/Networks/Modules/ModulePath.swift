/// A module's place in a model tree (`layer2.0.conv1`), and the one place a PyTorch state-dict key
/// is made from it: a network builds its tree by naming children (`path.child("conv1")`), and each
/// layer names its tensors from its own path (`path.key("weight")` → `layer2.0.conv1.weight`).
/// Nothing else assembles a parameter name.
public struct ModulePath: Hashable, Sendable, CustomStringConvertible {
    public let components: [String]

    /// The root (a bare layer: its tensors are `weight`, `bias`, as in a lone `nn.Linear`'s state dict).
    public static let root = ModulePath(components: [])

    public init(_ components: String...) {
        self.components = components
    }

    private init(components: [String]) {
        self.components = components
    }

    /// A named child module (`conv1`, `_blocks`, `downsample`).
    public func child(_ name: String) -> ModulePath {
        ModulePath(components: components + [name])
    }

    /// The `index`-th module of a list (`nn.Sequential` / `nn.ModuleList`: `layer1.0`, `_blocks.12`).
    public func child(_ index: Int) -> ModulePath {
        child(String(index))
    }

    /// The state-dict key of this module's tensor `leaf` (`weight`, `running_mean`).
    public func key(_ leaf: String) -> String {
        (components + [leaf]).joined(separator: ".")
    }

    public var description: String { components.joined(separator: ".") }
}
