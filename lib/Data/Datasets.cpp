//===- Datasets.cpp - Training data for weft train ------------------------===//

#include "weft/Data/Datasets.h"
#include "weft/Runtime/Random.h"
#include "weft/Runtime/TensorIO.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <zlib.h>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The token of a character: `\n` is 0, printable ASCII 32 to 126 are 1
/// to 95; other bytes have none.
std::optional<int64_t> tokenOf(unsigned char c) {
  if (c == '\n')
    return 0;
  if (c >= 32 && c <= 126)
    return c - 31;
  return std::nullopt;
}

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The bytes of `path`, gunzipped if it is gzipped.
llvm::Expected<std::string> readMaybeGzipped(llvm::StringRef path) {
  gzFile file = gzopen(path.str().c_str(), "rb");
  if (!file)
    return error(path + ": cannot open: " + std::strerror(errno));
  std::string bytes;
  char buffer[1 << 16];
  int read;
  while ((read = gzread(file, buffer, sizeof(buffer))) > 0)
    bytes.append(buffer, read);
  int code = Z_OK;
  // The message belongs to the file: kept before closing it.
  std::string message = gzerror(file, &code);
  gzclose(file);
  if (read < 0 || (code != Z_OK && code != Z_STREAM_END))
    return error(path + ": cannot read: " + message +
                 " (a corrupt or truncated gzip file?)");
  return bytes;
}

uint32_t bigEndian32(const unsigned char *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

/// An IDX file read and checked: its sizes, and its elements (bytes).
struct IdxFile {
  std::string bytes;
  llvm::SmallVector<int64_t> shape;
  size_t offset;

  /// The elements times `scale`, as a tensor of `dtype` and `shape` (of
  /// as many elements; the file's own shape by default).
  Tensor toTensor(DType dtype, double scale,
                  llvm::ArrayRef<int64_t> as = {}) const {
    Tensor tensor(dtype, as.empty() ? llvm::ArrayRef<int64_t>(shape) : as);
    auto *data = reinterpret_cast<const unsigned char *>(bytes.data());
    for (int64_t i = 0, e = tensor.numElements(); i < e; ++i)
      tensor.set(i, data[offset + i] * scale);
    return tensor;
  }
};

llvm::Expected<IdxFile> readIdxFile(llvm::StringRef path) {
  auto bytes = readMaybeGzipped(path);
  if (!bytes)
    return bytes.takeError();
  auto *data = reinterpret_cast<const unsigned char *>(bytes->data());
  size_t size = bytes->size();
  // Magic: two zero bytes, the element type (0x08: unsigned byte), the rank.
  if (size < 4 || data[0] != 0 || data[1] != 0 || data[2] != 0x08 ||
      data[3] == 0 || data[3] > 4)
    return error(path + ": not an IDX file of unsigned bytes (its magic "
                        "number is not 0x0000080N with N from 1 to 4)");
  int64_t rank = data[3];
  if (size < 4 + 4 * size_t(rank))
    return error(path + ": the IDX header is cut short");
  llvm::SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t i = 0; i < rank; ++i) {
    shape.push_back(bigEndian32(data + 4 + 4 * i));
    count *= shape.back();
  }
  size_t offset = 4 + 4 * rank;
  if (size - offset != size_t(count))
    return error(path + ": the IDX header gives " + llvm::Twine(count) +
                 " elements, the file holds " + llvm::Twine(size - offset));
  return IdxFile{std::move(*bytes), std::move(shape), offset};
}
} // namespace

llvm::Expected<Tensor> mlir::weft::readIdx(llvm::StringRef path, DType dtype,
                                           double scale) {
  auto file = readIdxFile(path);
  if (!file)
    return file.takeError();
  return file->toTensor(dtype, scale);
}

llvm::Expected<Dataset> mlir::weft::readFashionMnist(llvm::StringRef dir,
                                                     llvm::StringRef split) {
  llvm::SmallString<128> images(dir), labels(dir);
  llvm::sys::path::append(images, split + "-images-idx3-ubyte.gz");
  llvm::sys::path::append(labels, split + "-labels-idx1-ubyte.gz");
  auto x = readIdxFile(images);
  if (!x)
    return x.takeError();
  auto t = readIdxFile(labels);
  if (!t)
    return t.takeError();
  if (x->shape.size() != 3 || t->shape.size() != 1 ||
      x->shape[0] != t->shape[0])
    return error(images + " and " + labels +
                 ": not N images [N, H, W] with N labels");
  // The images get their channel axis as they are read.
  Dataset data;
  data.fields.push_back(x->toTensor(
      DType::F32, 1.0 / 255.0, {x->shape[0], 1, x->shape[1], x->shape[2]}));
  data.fields.push_back(t->toTensor(DType::I64, 1.0));
  return data;
}

namespace {
/// An IDX file as a field: labels (rank 1) or images scaled to [0, 1].
llvm::Expected<Tensor> readIdxField(llvm::StringRef path) {
  auto file = readIdxFile(path);
  if (!file)
    return file.takeError();
  return file->shape.size() == 1 ? file->toTensor(DType::I64, 1.0)
                                 : file->toTensor(DType::F32, 1.0 / 255.0);
}
} // namespace

llvm::Expected<Tensor> mlir::weft::readCsv(llvm::StringRef path) {
  auto bytes = readMaybeGzipped(path);
  if (!bytes)
    return bytes.takeError();
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(*bytes).split(lines, '\n', -1, /*KeepEmpty=*/false);
  std::vector<double> values;
  int64_t columns = -1, rows = 0;
  bool integers = true;
  for (auto [number, line] : llvm::enumerate(lines)) {
    line = line.trim();
    if (line.empty())
      continue;
    llvm::SmallVector<llvm::StringRef> cells;
    line.split(cells, ',');
    std::vector<double> row;
    bool numeric = true;
    for (llvm::StringRef cell : cells) {
      double value = 0;
      numeric &= !cell.trim().getAsDouble(value);
      row.push_back(value);
    }
    if (!numeric) {
      if (number == 0)
        continue; // A header.
      return error(path + ":" + llvm::Twine(number + 1) +
                   ": a value that is not a number");
    }
    if (columns >= 0 && int64_t(row.size()) != columns)
      return error(path + ":" + llvm::Twine(number + 1) + ": " +
                   llvm::Twine(row.size()) + " values where the rows before " +
                   "have " + llvm::Twine(columns));
    columns = row.size();
    for (double value : row)
      integers &= value == std::trunc(value) && std::abs(value) < 9.0e15;
    values.insert(values.end(), row.begin(), row.end());
    ++rows;
  }
  if (rows == 0)
    return error(path + ": no rows of numbers");
  llvm::SmallVector<int64_t> shape = {rows};
  if (columns > 1)
    shape.push_back(columns);
  Tensor tensor(integers ? DType::I64 : DType::F32, shape);
  for (auto [i, value] : llvm::enumerate(values))
    tensor.set(i, value);
  return tensor;
}

llvm::Expected<Dataset>
mlir::weft::readDataset(llvm::ArrayRef<std::string> paths) {
  Dataset data;
  for (const std::string &path : paths) {
    llvm::StringRef name = path;
    auto tensor = name.ends_with(".npy")   ? readNpy(path)
                  : name.ends_with(".csv") ? readCsv(path)
                                           : readIdxField(path);
    if (!tensor)
      return tensor.takeError();
    if (tensor->rank() == 0)
      return error(path + ": a data field needs a leading axis of samples, "
                          "got a scalar");
    if (!data.fields.empty() && tensor->shape()[0] != data.size())
      return error(path + ": " + llvm::Twine(tensor->shape()[0]) +
                   " samples, but " + paths.front() + " has " +
                   llvm::Twine(data.size()));
    data.fields.push_back(std::move(*tensor));
  }
  return data;
}

llvm::Expected<std::vector<int64_t>>
mlir::weft::encodeText(llvm::StringRef text) {
  std::vector<int64_t> ids;
  for (unsigned char c : text) {
    std::optional<int64_t> id = tokenOf(c);
    if (!id)
      return error(llvm::formatv("the character 0x{0:x-2} is not one of the "
                                 "text tokens (a newline, printable ASCII)",
                                 unsigned(c))
                       .str());
    ids.push_back(*id);
  }
  return ids;
}

std::string mlir::weft::decodeText(llvm::ArrayRef<int64_t> ids) {
  std::string text;
  for (int64_t id : ids)
    text += id == 0                         ? '\n'
            : id > 0 && id < kFortuneTokens ? static_cast<char>(id + 31)
                                            : '?';
  return text;
}

llvm::Expected<Dataset> mlir::weft::readFortunes(llvm::StringRef dir,
                                                 int64_t length) {
  if (length < 1)
    return error("fortunes:" + llvm::Twine(length) +
                 ": a sequence needs at least one character");
  // The fortune files are the names without an extension (the .dat
  // indexes and .u8 links are not).
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (!llvm::sys::path::has_extension(it->path()) &&
        llvm::sys::fs::is_regular_file(it->path()))
      files.push_back(it->path());
  if (ec || files.empty())
    return error(dir + ": no fortune files (install Debian's fortunes)");
  std::sort(files.begin(), files.end());
  std::vector<int64_t> ids;
  for (const std::string &file : files) {
    auto bytes = readMaybeGzipped(file);
    if (!bytes)
      return bytes.takeError();
    for (unsigned char c : *bytes)
      if (std::optional<int64_t> id = tokenOf(c))
        ids.push_back(*id);
  }
  if (static_cast<int64_t>(ids.size()) <= length)
    return error(dir + ": fewer characters than one sequence of " +
                 llvm::Twine(length) + " and its target");
  int64_t count = static_cast<int64_t>(ids.size() - 1) / length;
  Dataset data;
  Tensor inputs(DType::I64, {count, length}),
      targets(DType::I64, {count, length});
  auto *x = static_cast<int64_t *>(inputs.data());
  auto *t = static_cast<int64_t *>(targets.data());
  for (int64_t i = 0; i < count * length; ++i) {
    x[i] = ids[i];
    t[i] = ids[i + 1];
  }
  data.fields.push_back(std::move(inputs));
  data.fields.push_back(std::move(targets));
  return data;
}

llvm::Expected<Dataset> mlir::weft::makeSynthetic(llvm::StringRef spec,
                                                  uint64_t seed) {
  llvm::SmallVector<llvm::StringRef> parts;
  spec.split(parts, ':');
  llvm::StringRef name = parts.front();
  // The sets with a length (or features) before the size.
  bool sequence = name == "copy" || name == "reverse" || name == "sort";
  bool sized = sequence || name == "linear";
  bool known = sized || name == "line" || name == "curve" || name == "moons" ||
               name == "swissroll";
  int64_t size = 0, length = 0;
  if (!known || parts.size() != (sized ? 3u : 2u) ||
      parts.back().getAsInteger(10, size) || size < 1 ||
      (sized && (parts[1].getAsInteger(10, length) || length < 1)))
    return error("unknown data set '" + spec +
                 "' (the synthetic ones are line:N, linear:D:N, curve:N, "
                 "moons:N, swissroll:N, copy:L:N, reverse:L:N and "
                 "sort:L:N)");
  Random random = Random::forName(seed, "data:" + name.str());
  Dataset data;
  // Every set has at most two fields, which stay where they are made.
  data.fields.reserve(2);
  auto field = [&](DType dtype, llvm::ArrayRef<int64_t> shape) -> Tensor & {
    data.fields.emplace_back(dtype, shape);
    return data.fields.back();
  };
  if (name == "line") {
    Tensor &x = field(DType::F32, {size, 1});
    Tensor &y = field(DType::F32, {size, 1});
    for (int64_t i = 0; i < size; ++i) {
      double v = 2 * random.uniform() - 1;
      x.set(i, v);
      y.set(i, 3 * v - 2 + 0.1 * random.normal());
    }
  } else if (name == "linear") {
    Tensor &x = field(DType::F32, {size, length});
    Tensor &y = field(DType::F32, {size});
    for (int64_t i = 0; i < size; ++i) {
      double sum = -2;
      for (int64_t j = 0; j < length; ++j) {
        double v = 2 * random.uniform() - 1;
        x.set(i * length + j, v);
        sum += (j + 1) * v;
      }
      y.set(i, sum + 0.1 * random.normal());
    }
  } else if (name == "curve") {
    // The piecewise-linear curve through these corners.
    constexpr double corners[][2] = {{-3, 0}, {-1, 2}, {1, -1}, {3, 1}};
    Tensor &x = field(DType::F32, {size, 1});
    Tensor &y = field(DType::F32, {size});
    for (int64_t i = 0; i < size; ++i) {
      double v = 6 * random.uniform() - 3;
      int k = v < -1 ? 0 : v < 1 ? 1 : 2;
      double along = (v - corners[k][0]) / (corners[k + 1][0] - corners[k][0]);
      x.set(i, v);
      y.set(i, corners[k][1] + along * (corners[k + 1][1] - corners[k][1]) +
                   0.05 * random.normal());
    }
  } else if (name == "moons" || name == "swissroll") {
    Tensor &x = field(DType::F32, {size, 2});
    Tensor *label = name == "moons" ? &field(DType::I64, {size}) : nullptr;
    for (int64_t i = 0; i < size; ++i) {
      double px, py;
      if (label) {
        // Half the points on the upper moon, the others on the lower one.
        bool lower = i >= size / 2;
        double angle = M_PI * random.uniform();
        px = lower ? 1 - std::cos(angle) : std::cos(angle);
        py = lower ? 0.5 - std::sin(angle) : std::sin(angle);
        label->set(i, lower);
      } else {
        double t = 1.5 * M_PI * (1 + 2 * random.uniform());
        px = t * std::cos(t) / 10;
        py = t * std::sin(t) / 10;
      }
      x.set(2 * i, px + 0.05 * random.normal());
      x.set(2 * i + 1, py + 0.05 * random.normal());
    }
  } else {
    Tensor &x = field(DType::I64, {size, length});
    Tensor &y = field(DType::I64, {size, length});
    std::vector<int64_t> digits(length);
    for (int64_t i = 0; i < size; ++i) {
      for (int64_t &d : digits)
        d = std::min<int64_t>(9, static_cast<int64_t>(random.uniform() * 10));
      std::vector<int64_t> target = digits;
      if (name == "reverse")
        std::reverse(target.begin(), target.end());
      else if (name == "sort")
        std::sort(target.begin(), target.end());
      for (int64_t j = 0; j < length; ++j) {
        x.set(i * length + j, digits[j]);
        y.set(i * length + j, target[j]);
      }
    }
  }
  return data;
}

Dataset mlir::weft::select(const Dataset &data,
                           llvm::ArrayRef<int64_t> indices) {
  Dataset out;
  for (const Tensor &field : data.fields) {
    llvm::SmallVector<int64_t> shape(field.shape());
    shape[0] = indices.size();
    Tensor picked(field.dtype(), shape);
    size_t sample = field.numBytes() / field.shape()[0];
    for (auto [i, index] : llvm::enumerate(indices))
      std::memcpy(static_cast<char *>(picked.data()) + i * sample,
                  static_cast<const char *>(field.data()) + index * sample,
                  sample);
    out.fields.push_back(std::move(picked));
  }
  return out;
}

std::vector<int64_t> mlir::weft::permutation(int64_t n, uint64_t seed,
                                             uint64_t epoch) {
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i)
    order[i] = i;
  Random random = Random::forName(seed, "shuffle:" + std::to_string(epoch));
  for (int64_t i = n - 1; i > 0; --i) {
    auto j = static_cast<int64_t>(random.uniform() * (i + 1));
    std::swap(order[i], order[std::min(j, i)]);
  }
  return order;
}

std::pair<Dataset, Dataset> mlir::weft::splitValidation(const Dataset &data,
                                                        double validation,
                                                        uint64_t seed) {
  int64_t n = data.size();
  auto held = static_cast<int64_t>(validation * n);
  std::vector<int64_t> order = permutation(n, seed, /*epoch=*/~0ULL);
  return {select(data, llvm::ArrayRef(order).drop_back(held)),
          select(data, llvm::ArrayRef(order).take_back(held))};
}

std::pair<Dataset, Dataset> mlir::weft::splitFold(const Dataset &data,
                                                  int64_t folds, int64_t fold,
                                                  uint64_t seed) {
  int64_t n = data.size();
  std::vector<int64_t> order = permutation(n, seed, /*epoch=*/~0ULL);
  int64_t begin = fold * n / folds, end = (fold + 1) * n / folds;
  std::vector<int64_t> kept(order.begin(), order.begin() + begin);
  kept.insert(kept.end(), order.begin() + end, order.end());
  return {select(data, kept),
          select(data, llvm::ArrayRef(order).slice(begin, end - begin))};
}

Batches::Batches(const Dataset &data, int64_t batch, std::vector<int64_t> order)
    : data(data), batch(batch), order(std::move(order)) {}

std::vector<Tensor> Batches::get(int64_t i) const {
  return select(data, llvm::ArrayRef(order).slice(i * batch, batch)).fields;
}
