//===- TensorIO.cpp - .npy and .safetensors files -------------------------===//

#include "weft/Runtime/TensorIO.h"
#include "weft/Runtime/Limits.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>

using namespace mlir::weft;
using llvm::StringRef;

static_assert(llvm::endianness::native == llvm::endianness::little,
              "weft's file formats are little-endian, as is its host");

namespace {
llvm::Error fileError(StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

} // namespace

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
mlir::weft::readRegularFile(StringRef path) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return fileError(path, "cannot open: " + ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return fileError(path, "not a regular file");
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, "cannot open: " + buffer.getError().message());
  return std::move(*buffer);
}

namespace {

/// What a file that is not the expected format is, when it is PyTorch's
/// own: `torch.save` writes a zip archive (or, before PyTorch 1.6, a
/// pickle).
std::string describeForeignFile(StringRef bytes) {
  bool pickle = bytes.size() >= 2 && uint8_t(bytes[0]) == 0x80 &&
                uint8_t(bytes[1]) >= 2 && uint8_t(bytes[1]) <= 5;
  if (bytes.starts_with("PK\x03\x04") || pickle)
    return "; it looks like a PyTorch file from torch.save: write tensors "
           "with numpy.save (.npy) or safetensors.torch.save_file(model."
           "state_dict(), 'weights.safetensors')";
  return "";
}

/// The byte count of a tensor of `dtype` and `shape`, with every size
/// positive and at most kMaxElements elements in all, or an error naming
/// `path`.
llvm::Expected<uint64_t> checkedBytes(StringRef path, DType dtype,
                                      llvm::ArrayRef<int64_t> shape,
                                      const llvm::Twine &what) {
  int64_t elements = 1;
  for (int64_t size : shape) {
    if (size < 1)
      return fileError(path, what + ": a size must be positive, got " +
                                 llvm::Twine(size));
    if (llvm::MulOverflow(elements, size, elements) || elements > kMaxElements)
      return fileError(path, what + ": more than 2^40 elements, the most a "
                                    "tensor may have");
  }
  return uint64_t(elements) * sizeOf(dtype);
}

/// The value of `'key': value` in a .npy header dictionary, up to the next
/// top-level comma or the closing brace.
std::optional<StringRef> npyField(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  size_t end =
      rest.starts_with("(") ? rest.find(')') : rest.find_first_of(",}");
  if (end == StringRef::npos)
    return std::nullopt;
  return rest.take_front(rest.starts_with("(") ? end + 1 : end).trim();
}

/// The first key that the top-level object of the JSON `text` holds twice
/// (llvm::json keeps the last silently), as written.
std::optional<StringRef> findDuplicateKey(StringRef text) {
  llvm::StringSet<> keys;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == '"') {
      size_t start = ++i;
      while (i < text.size() && text[i] != '"')
        i += text[i] == '\\' ? 2 : 1;
      StringRef string = text.slice(start, i);
      if (depth == 1 && text.drop_front(i + 1).ltrim().starts_with(":") &&
          !keys.insert(string).second)
        return string;
    }
  }
  return std::nullopt;
}
} // namespace

llvm::Expected<Tensor> mlir::weft::readNpy(StringRef path) {
  auto file = readRegularFile(path);
  if (!file)
    return file.takeError();
  return parseNpy((*file)->getBuffer(), path);
}

llvm::Expected<Tensor> mlir::weft::parseNpy(StringRef bytes, StringRef path) {
  if (!bytes.starts_with("\x93NUMPY"))
    return fileError(path, "not a .npy file (the magic string is missing)" +
                               describeForeignFile(bytes));
  if (bytes.size() < 10)
    return fileError(path, "truncated .npy header");
  uint8_t major = bytes[6];
  size_t lengthBytes = major == 1 ? 2 : 4;
  if (major < 1 || major > 3)
    return fileError(path, "unsupported .npy version " + llvm::Twine(major));
  if (bytes.size() < 8 + lengthBytes)
    return fileError(path, "truncated .npy header");
  size_t headerLength = lengthBytes == 2
                            ? llvm::support::endian::read16le(bytes.data() + 8)
                            : llvm::support::endian::read32le(bytes.data() + 8);
  size_t dataOffset = 8 + lengthBytes + headerLength;
  if (bytes.size() < dataOffset)
    return fileError(path, "truncated .npy header");
  StringRef header = bytes.slice(8 + lengthBytes, dataOffset);

  auto descr = npyField(header, "descr");
  auto order = npyField(header, "fortran_order");
  auto shapeText = npyField(header, "shape");
  if (!descr || !order || !shapeText)
    return fileError(path, "malformed .npy header: " + header.trim());
  StringRef descrValue = descr->trim("'\"");
  std::optional<DType> dtype = dtypeFromNpyDescr(descrValue);
  if (!dtype)
    return fileError(path, "unsupported dtype '" + descrValue +
                               "' (weft reads float32, float64, int32 and "
                               "int64)");
  if (*order != "False")
    return fileError(path, "Fortran-ordered arrays are not supported");

  // `(2, 784)`, `(10,)` or `()`.
  llvm::SmallVector<int64_t> shape;
  StringRef items = *shapeText;
  if (!items.consume_front("(") || !items.consume_back(")"))
    return fileError(path, "malformed shape " + *shapeText);
  llvm::SmallVector<StringRef> parts;
  if (!items.trim().empty())
    items.split(parts, ',');
  if (parts.size() > 1 && parts.back().trim().empty())
    parts.pop_back(); // `(10,)`
  for (StringRef part : parts) {
    int64_t dim;
    if (part.trim().getAsInteger(10, dim))
      return fileError(path, "malformed shape " + *shapeText);
    shape.push_back(dim);
  }
  auto needed = checkedBytes(path, *dtype, shape, "shape " + *shapeText);
  if (!needed)
    return needed.takeError();
  size_t available = bytes.size() - dataOffset;
  if (available < *needed)
    return fileError(path, "truncated data: " + describeTensor(*dtype, shape) +
                               " needs " + llvm::Twine(*needed) +
                               " bytes, the file holds " +
                               llvm::Twine(available));
  Tensor tensor(*dtype, shape);
  std::memcpy(tensor.data(), bytes.data() + dataOffset, tensor.numBytes());
  return tensor;
}

llvm::Error
mlir::weft::writeFile(StringRef path,
                      llvm::function_ref<void(llvm::raw_ostream &)> body) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fileError(path, "cannot write: " + ec.message());
  body(os);
  os.close();
  if (os.has_error()) {
    // Cleared, or the stream's destructor would end the process.
    std::string message = os.error().message();
    os.clear_error();
    return fileError(path, "write failed: " + message);
  }
  return llvm::Error::success();
}

llvm::Error mlir::weft::writeNpy(StringRef path, const Tensor &tensor) {
  std::string header = "{'descr': '";
  header += npyDescrOf(tensor.dtype());
  header += "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.shape())
    header += std::to_string(d) + ",";
  if (tensor.rank() > 1)
    header.pop_back();
  header += "), }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  return writeFile(path, [&](llvm::raw_ostream &os) {
    os << "\x93NUMPY" << char(1) << char(0);
    char length[2];
    llvm::support::endian::write16le(length, header.size());
    os.write(length, 2);
    os << header;
    os.write(static_cast<const char *>(tensor.data()), tensor.numBytes());
  });
}

llvm::Error mlir::weft::writeResults(StringRef path,
                                     llvm::ArrayRef<Tensor> results) {
  if (results.size() == 1)
    return writeNpy(path, results.front());
  StringRef stem = path.ends_with(".npy") ? path.drop_back(4) : path;
  for (auto [i, result] : llvm::enumerate(results))
    if (llvm::Error e =
            writeNpy((stem + "." + llvm::Twine(i) + ".npy").str(), result))
      return e;
  return llvm::Error::success();
}

llvm::Expected<TensorMap> mlir::weft::readSafetensors(StringRef path) {
  auto file = readRegularFile(path);
  if (!file)
    return file.takeError();
  return parseSafetensors((*file)->getBuffer(), path);
}

llvm::Expected<TensorMap> mlir::weft::parseSafetensors(StringRef bytes,
                                                       StringRef path) {
  if (bytes.size() < 8)
    return fileError(path, "truncated safetensors file (no header length)");
  uint64_t headerLength = llvm::support::endian::read64le(bytes.data());
  // A header that does not fit or does not parse may be another format's.
  std::string foreign = describeForeignFile(bytes);
  if (headerLength > bytes.size() - 8)
    return fileError(path, foreign.empty()
                               ? "truncated safetensors header: " +
                                     llvm::Twine(headerLength) +
                                     " bytes announced, " +
                                     llvm::Twine(bytes.size() - 8) + " present"
                               : "not a safetensors file" + foreign);
  StringRef data = bytes.drop_front(8 + headerLength);
  StringRef headerText = bytes.slice(8, 8 + headerLength);
  auto json = llvm::json::parse(headerText);
  if (!json) {
    std::string why = llvm::toString(json.takeError());
    return fileError(path, foreign.empty()
                               ? "malformed safetensors header: " + why
                               : "not a safetensors file" + foreign);
  }
  auto *entries = json->getAsObject();
  if (!entries)
    return fileError(path, "malformed safetensors header: not an object");
  if (std::optional<StringRef> twice = findDuplicateKey(headerText))
    return fileError(path, "tensor '" + *twice + "' appears twice");

  TensorMap tensors;
  // Each tensor's bytes, to find two that overlap.
  std::vector<std::tuple<int64_t, int64_t, std::string>> spans;
  for (auto &[key, value] : *entries) {
    if (key == "__metadata__")
      continue;
    std::string name = key.str();
    auto bad = [&](const llvm::Twine &what) {
      return fileError(path, "tensor '" + name + "': " + what);
    };
    auto *entry = value.getAsObject();
    if (!entry)
      return bad("malformed entry");
    std::optional<StringRef> dtypeName = entry->getString("dtype");
    auto *shapeArray = entry->getArray("shape");
    auto *offsets = entry->getArray("data_offsets");
    if (!dtypeName || !shapeArray || !offsets || offsets->size() != 2)
      return bad("entry needs dtype, shape and data_offsets");
    std::optional<DType> dtype = dtypeFromSafetensorsName(*dtypeName);
    if (!dtype)
      return bad("unsupported dtype " + *dtypeName +
                 " (weft reads F32, F64, I32 and I64)");
    llvm::SmallVector<int64_t> shape;
    for (const llvm::json::Value &d : *shapeArray) {
      std::optional<int64_t> dim = d.getAsInteger();
      if (!dim || *dim < 0)
        return bad("malformed shape");
      shape.push_back(*dim);
    }
    std::optional<int64_t> begin = (*offsets)[0].getAsInteger();
    std::optional<int64_t> end = (*offsets)[1].getAsInteger();
    if (!begin || !end || *begin < 0 || *end < *begin)
      return bad("malformed data_offsets");
    auto needed = checkedBytes(path, *dtype, shape, "tensor '" + name + "'");
    if (!needed)
      return needed.takeError();
    if (static_cast<uint64_t>(*end - *begin) != *needed)
      return bad(describeTensor(*dtype, shape) + " needs " +
                 llvm::Twine(*needed) + " bytes, but data_offsets span " +
                 llvm::Twine(*end - *begin));
    if (static_cast<size_t>(*end) > data.size())
      return bad("truncated data: it ends at byte " + llvm::Twine(*end) +
                 " of a " + llvm::Twine(data.size()) + "-byte data section");
    spans.emplace_back(*begin, *end, name);
  }
  llvm::sort(spans);
  for (size_t i = 1; i < spans.size(); ++i)
    if (std::get<0>(spans[i]) < std::get<1>(spans[i - 1]))
      return fileError(path, "tensors '" + std::get<2>(spans[i - 1]) +
                                 "' and '" + std::get<2>(spans[i]) +
                                 "' overlap in the data section");
  // Read only once the whole header is known to be sound.
  for (auto &[key, value] : *entries) {
    if (key == "__metadata__")
      continue;
    auto *entry = value.getAsObject();
    llvm::SmallVector<int64_t> shape;
    for (const llvm::json::Value &d : *entry->getArray("shape"))
      shape.push_back(*d.getAsInteger());
    Tensor tensor(*dtypeFromSafetensorsName(*entry->getString("dtype")), shape);
    int64_t begin = *(*entry->getArray("data_offsets"))[0].getAsInteger();
    std::memcpy(tensor.data(), data.data() + begin, tensor.numBytes());
    tensors.insert({key.str(), std::move(tensor)});
  }
  return tensors;
}

llvm::Error mlir::weft::writeSafetensors(StringRef path,
                                         const TensorMap &tensors) {
  llvm::json::Object header;
  size_t offset = 0;
  for (const auto &[name, tensor] : tensors) {
    llvm::json::Array shape;
    for (int64_t d : tensor.shape())
      shape.push_back(d);
    header[name] = llvm::json::Object{
        {"dtype", safetensorsNameOf(tensor.dtype())},
        {"shape", std::move(shape)},
        {"data_offsets",
         llvm::json::Array{int64_t(offset),
                           int64_t(offset + tensor.numBytes())}}};
    offset += tensor.numBytes();
  }
  std::string text;
  llvm::raw_string_ostream(text) << llvm::json::Value(std::move(header));
  text.append((8 - text.size() % 8) % 8, ' ');
  return writeFile(path, [&](llvm::raw_ostream &os) {
    char length[8];
    llvm::support::endian::write64le(length, text.size());
    os.write(length, 8);
    os << text;
    for (const auto &entry : tensors)
      os.write(static_cast<const char *>(entry.second.data()),
               entry.second.numBytes());
  });
}
