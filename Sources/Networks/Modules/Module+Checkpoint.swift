import Tensors

extension Module {
    /// Loads a whole network from a checkpoint as PyTorch's strict `load_state_dict` does: every
    /// problem is collected before anything is reported, so one error lists every missing tensor,
    /// wrong shape and unexpected name, and says so first when the file belongs to another
    /// architecture altogether.
    /// - foreignMarkers: a tensor name that only another architecture has → that architecture's name.
    mutating func loadCheckpoint(_ dict: StateDict, architecture: String, foreignMarkers: [String: String]) throws {
        var problems: [String] = []
        for (marker, other) in foreignMarkers.sorted(by: { $0.key < $1.key }) where dict[marker] != nil {
            problems.append("this is a \(other) checkpoint, not \(architecture) (it has '\(marker)')")
            break
        }
        problems += load(dict).problems.map(\.description)
        if !problems.isEmpty {
            throw CheckpointError.architectureMismatch(path: dict.source, architecture: architecture, problems: problems)
        }
    }
}

extension ModulePath {
    /// The number of outputs of the `Linear` at this path in `dict` (a classifier of any size), nil
    /// when `dict` has none.
    func outputs(in dict: StateDict) -> Int? {
        (dict[key("weight")] ?? dict[key("bias")])?.shape.first
    }
}
