extension ModelArchitecture {
    /// Throws `CheckpointError.architectureMismatch` listing every missing, misshapen or
    /// unexpected tensor; building the network is the check, so it cannot drift from the model.
    public func validate(_ dict: StateDict) throws {
        switch self {
        case .efficientNetLite0: _ = try EfficientNetLite0(stateDict: dict)
        case .resnet18: _ = try ResNet18(stateDict: dict)
        }
    }
}
