import Imaging
import Networks

extension ModelArchitecture {
    /// The normalisation the architecture's pretrained weights were trained with, and so the one a
    /// model fine-tuned from them expects: EfficientNet-Lite0's TensorFlow "edge" weights use
    /// (x − 127)/128; torchvision's ResNet18, and the PyTorch recipe built on it, use ImageNet's
    /// mean and standard deviation.
    public var trainingNormalization: Normalization {
        switch self {
        case .efficientNetLite0: .efficientNet
        case .resnet18: .imagenet
        }
    }
}
