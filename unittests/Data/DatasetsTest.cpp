//===- DatasetsTest.cpp - weft train's data sets --------------------------===//

#include "weft/Data/Datasets.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

using namespace mlir::weft;

namespace {
/// A directory of its own, removed at the end of the test.
class TempDir {
public:
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("weft-data", path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
  std::string file(llvm::StringRef name, llvm::StringRef contents) const {
    llvm::SmallString<128> p(path);
    llvm::sys::path::append(p, name);
    std::error_code ec;
    llvm::raw_fd_ostream out(p, ec);
    out << contents;
    return std::string(p);
  }
  llvm::SmallString<128> path;
};

std::vector<int64_t> values(const Tensor &tensor) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < tensor.numElements(); ++i)
    out.push_back(static_cast<int64_t>(tensor.get(i)));
  return out;
}

TEST(DatasetsTest, FortunesAreWindowsOfTokensWithTheNextAsTarget) {
  TempDir dir;
  // Two fortune files read in name order; their .dat index is skipped, and
  // so is a byte outside printable ASCII.
  dir.file("b", "cd\n");
  dir.file("a", "ab\x01!");
  dir.file("a.dat", "index");
  auto data = readFortunes(dir.path, 2);
  ASSERT_TRUE(static_cast<bool>(data)) << llvm::toString(data.takeError());
  // "ab!cd\n": a=66 b=67 !=2 c=68 d=69 \n=0; windows of 2 without overlap.
  ASSERT_EQ(data->fields.size(), 2u);
  EXPECT_EQ(data->fields[0].shape(), llvm::ArrayRef<int64_t>({2, 2}));
  EXPECT_EQ(values(data->fields[0]), (std::vector<int64_t>{66, 67, 2, 68}));
  EXPECT_EQ(values(data->fields[1]), (std::vector<int64_t>{67, 2, 68, 69}));
}

TEST(DatasetsTest, IdxLabelsAndImages) {
  TempDir dir;
  std::string labels = dir.file(
      "labels", llvm::StringRef("\0\0\x08\x01\0\0\0\x03\x07\x00\x02", 11));
  auto t = readIdx(labels, DType::I64);
  ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(values(*t), (std::vector<int64_t>{7, 0, 2}));
  std::string images = dir.file(
      "images", llvm::StringRef(
                    "\0\0\x08\x03\0\0\0\x01\0\0\0\x01\0\0\0\x02\xff\x00", 18));
  auto x = readIdx(images, DType::F32, 1.0 / 255.0);
  ASSERT_TRUE(static_cast<bool>(x)) << llvm::toString(x.takeError());
  EXPECT_EQ(x->shape(), llvm::ArrayRef<int64_t>({1, 1, 2}));
  EXPECT_FLOAT_EQ(x->get(0), 1.0f);
  EXPECT_FLOAT_EQ(x->get(1), 0.0f);
  // Fewer elements than the header gives.
  std::string cut =
      dir.file("cut", llvm::StringRef("\0\0\x08\x01\0\0\0\x05\x01", 9));
  auto bad = readIdx(cut, DType::I64);
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("header gives 5 elements"),
            std::string::npos);
}

TEST(DatasetsTest, PermutationsAreDeterministicPerSeedAndEpoch) {
  std::vector<int64_t> a = permutation(100, 7, 1), b = permutation(100, 7, 1);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, permutation(100, 7, 2));
  EXPECT_NE(a, permutation(100, 8, 1));
  std::set<int64_t> seen(a.begin(), a.end());
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(*seen.begin(), 0);
  EXPECT_EQ(*seen.rbegin(), 99);
}

TEST(DatasetsTest, ValidationSplitHoldsOutItsShare) {
  Dataset data;
  Tensor ids(DType::I64, {10});
  for (int64_t i = 0; i < 10; ++i)
    ids.set(i, i);
  data.fields.push_back(std::move(ids));
  auto [train, held] = splitValidation(data, 0.3, 1);
  EXPECT_EQ(train.size(), 7);
  EXPECT_EQ(held.size(), 3);
  std::vector<int64_t> all = values(train.fields[0]);
  for (int64_t v : values(held.fields[0]))
    all.push_back(v);
  std::sort(all.begin(), all.end());
  std::vector<int64_t> expected(10);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);
}
TEST(DatasetsTest, FoldsPartitionTheDataSet) {
  // Sample i holds the value i: every sample is held out by exactly one of
  // the folds, and trained on by the others.
  Dataset data;
  data.fields.emplace_back(DType::I64, llvm::ArrayRef<int64_t>{10});
  for (int64_t i = 0; i < 10; ++i)
    data.fields[0].set(i, i);
  std::vector<int64_t> heldOut;
  for (int64_t fold = 0; fold < 3; ++fold) {
    auto [kept, held] = splitFold(data, 3, fold, 5);
    EXPECT_EQ(kept.size() + held.size(), 10);
    EXPECT_GE(held.size(), 3);
    std::vector<int64_t> k = values(kept.fields[0]), h = values(held.fields[0]);
    for (int64_t v : h)
      EXPECT_EQ(std::count(k.begin(), k.end(), v), 0);
    heldOut.insert(heldOut.end(), h.begin(), h.end());
  }
  std::sort(heldOut.begin(), heldOut.end());
  std::vector<int64_t> all(10);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_EQ(heldOut, all);
}
TEST(DatasetsTest, SyntheticSetsFollowTheirDefinitions) {
  // line: least squares recovers w = 3, b = -2.
  auto line = makeSynthetic("line:2000", 0);
  ASSERT_TRUE(static_cast<bool>(line)) << llvm::toString(line.takeError());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int64_t n = line->size();
  for (int64_t i = 0; i < n; ++i) {
    double x = line->fields[0].get(i), y = line->fields[1].get(i);
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  double w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  EXPECT_NEAR(w, 3.0, 0.03);
  EXPECT_NEAR((sy - w * sx) / n, -2.0, 0.01);
  // linear:3: y - (-2 + x0 + 2 x1 + 3 x2) is the noise, of deviation 0.1.
  auto linear = makeSynthetic("linear:3:1000", 0);
  ASSERT_TRUE(static_cast<bool>(linear));
  ASSERT_EQ(linear->fields[0].shape()[1], 3);
  double squares = 0;
  for (int64_t i = 0; i < 1000; ++i) {
    double fit = -2;
    for (int64_t j = 0; j < 3; ++j)
      fit += (j + 1) * linear->fields[0].get(3 * i + j);
    squares += std::pow(linear->fields[1].get(i) - fit, 2);
  }
  EXPECT_NEAR(std::sqrt(squares / 1000), 0.1, 0.01);
  // curve: near its corners' values at the corners' abscissas.
  auto curve = makeSynthetic("curve:4000", 0);
  ASSERT_TRUE(static_cast<bool>(curve));
  for (auto [cx, cy] : {std::pair{-1.0, 2.0}, {1.0, -1.0}, {0.0, 0.5}})
    for (int64_t i = 0; i < 4000; ++i)
      if (std::abs(curve->fields[0].get(i) - cx) < 0.01) {
        EXPECT_NEAR(curve->fields[1].get(i), cy, 0.25) << cx;
      }
  // moons: half of each, the upper moon above the lower one on average.
  auto moons = makeSynthetic("moons:100", 0);
  ASSERT_TRUE(static_cast<bool>(moons));
  std::vector<int64_t> labels = values(moons->fields[1]);
  EXPECT_EQ(std::count(labels.begin(), labels.end(), 1), 50);
  // reverse and sort: the targets are the digits reversed and sorted.
  for (const char *task : {"reverse:5:3", "sort:5:3"}) {
    auto strings = makeSynthetic(task, 1);
    ASSERT_TRUE(static_cast<bool>(strings));
    std::vector<int64_t> x = values(strings->fields[0]);
    std::vector<int64_t> y = values(strings->fields[1]);
    for (int64_t i = 0; i < 3; ++i) {
      std::vector<int64_t> in(x.begin() + 5 * i, x.begin() + 5 * i + 5);
      std::vector<int64_t> out(y.begin() + 5 * i, y.begin() + 5 * i + 5);
      if (llvm::StringRef(task).starts_with("reverse"))
        std::reverse(in.begin(), in.end());
      else
        std::sort(in.begin(), in.end());
      EXPECT_EQ(in, out) << task;
    }
  }
  // The same seed, the same set; an unknown name is an error.
  auto again = makeSynthetic("moons:100", 0);
  ASSERT_TRUE(static_cast<bool>(again));
  EXPECT_EQ(values(again->fields[1]), labels);
  for (const char *bad : {"circles:10", "reverse:5", "linear:10"}) {
    auto set = makeSynthetic(bad, 0);
    ASSERT_FALSE(static_cast<bool>(set)) << bad;
    EXPECT_NE(llvm::toString(set.takeError()).find("unknown data set"),
              std::string::npos);
  }
}
TEST(DatasetsTest, CsvHeadersDtypesAndErrors) {
  TempDir dir;
  auto labels = readCsv(dir.file("t.csv", "label\n1\n0\n2\n"));
  ASSERT_TRUE(static_cast<bool>(labels)) << llvm::toString(labels.takeError());
  EXPECT_EQ(labels->dtype(), DType::I64);
  EXPECT_EQ(values(*labels), (std::vector<int64_t>{1, 0, 2}));
  auto x = readCsv(dir.file("x.csv", "0.5,1\n-2,3.25\n"));
  ASSERT_TRUE(static_cast<bool>(x)) << llvm::toString(x.takeError());
  EXPECT_EQ(x->dtype(), DType::F32);
  EXPECT_EQ(x->shape(), llvm::ArrayRef<int64_t>({2, 2}));
  EXPECT_FLOAT_EQ(x->get(3), 3.25f);
  auto word = readCsv(dir.file("w.csv", "1,2\n3,four\n"));
  ASSERT_FALSE(static_cast<bool>(word));
  EXPECT_NE(llvm::toString(word.takeError())
                .find("w.csv:2: a value that is "
                      "not a number"),
            std::string::npos);
}
} // namespace
