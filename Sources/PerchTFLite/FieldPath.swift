/// Where in the model a value lives: the chain of tables, fields and vector indices from the root.
///
/// Printed as, for example, `Model.subgraphs[0].tensors[33].quantization.scale`. Used as the payload of
/// ``ModelError`` so that every error names the table and field it is about.
public struct FieldPath: Equatable, Sendable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Equatable, Sendable {
        /// A table or field name, as spelled in TFLite's `schema.fbs`.
        case field(String)
        /// An index into a vector.
        case index(Int)
    }

    /// The steps from the root table, first to last.
    public var components: [Component]

    /// Creates a path from its steps.
    ///
    /// - Parameter components: The steps from the root table.
    public init(_ components: [Component]) {
        self.components = components
    }

    /// The path of the root `Model` table.
    public static var model: FieldPath { FieldPath([.field("Model")]) }

    /// This path followed by the field `name`.
    ///
    /// - Parameter name: The field name as spelled in the schema.
    /// - Returns: The longer path.
    public func appending(_ name: String) -> FieldPath {
        var copy = self
        copy.components.append(.field(name))
        return copy
    }

    /// This path followed by the vector index `index`.
    ///
    /// - Parameter index: The position in the vector.
    /// - Returns: The longer path.
    public func appending(index: Int) -> FieldPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    /// The path in dotted form, e.g. `Model.subgraphs[0].tensors[33].quantization.scale`.
    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .field(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
