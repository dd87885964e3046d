import Foundation
import PerchInference
import PerchTFLite

/// Reads a whole file in one read.
func readFile(_ path: String) throws(CLIError) -> [UInt8] {
    do {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        return [UInt8](data)
    } catch {
        let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
        throw .cannotRead(path: path, reason: reason)
    }
}

/// Loads and parses a `.tflite` file.
func loadModel(_ path: String) throws(CLIError) -> TFLiteModel {
    let bytes = try readFile(path)
    do {
        return try TFLiteModel(bytes: bytes)
    } catch {
        throw .interpreter(path: path, .model(error))
    }
}

/// Loads a model and prepares an interpreter for it.
func loadInterpreter(_ path: String, options: InterpreterOptions = InterpreterOptions()) throws(CLIError) -> Interpreter {
    let model = try loadModel(path)
    do {
        return try Interpreter(model: model, options: options)
    } catch {
        throw .interpreter(path: path, error)
    }
}

/// Encodes a value as pretty, key-sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) {
        print(text)
    }
}

/// Formats a shape as `[1,96,96,1]`.
func formatShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ",") + "]"
}
