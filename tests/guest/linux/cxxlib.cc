// The C++ library as coursework uses it: iostream formatting, containers,
// algorithms, <random> with fixed seeds, std::regex, exceptions through
// frames, std::chrono durations and std::filesystem under /tmp.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace fs = std::filesystem;

struct Tracer {
  std::string name;
  explicit Tracer(std::string n) : name(std::move(n)) { std::cout << "ctor " << name << "\n"; }
  ~Tracer() { std::cout << "dtor " << name << "\n"; }
};

static int thrower(int depth) {
  Tracer t("frame" + std::to_string(depth));
  if (depth == 0) throw std::out_of_range("deep failure");
  return thrower(depth - 1) + 1;
}

int main() {
  std::cout << std::setw(8) << 42 << "|" << std::left << std::setw(8) << 42 << "|" << std::right << std::setfill('0')
            << std::setw(8) << -42 << std::setfill(' ') << "\n";
  std::cout << std::hex << 255 << " " << std::showbase << 255 << " " << std::uppercase << 255 << std::nouppercase
            << std::noshowbase << std::dec << " " << std::oct << 8 << std::dec << "\n";
  double vals[] = {3.14159265358979, 1e-7, 123456789.0, 0.5, 1.0 / 3};
  for (double v : vals) {
    std::cout << v << " " << std::setprecision(3) << v << " " << std::fixed << v << " " << std::scientific << v << " "
              << std::hexfloat << v << std::defaultfloat << std::setprecision(6) << "\n";
  }
  std::cout << std::boolalpha << true << " " << false << std::noboolalpha << " " << true << "\n";
  std::cout << std::showpos << 5 << " " << 0 << std::noshowpos << " " << std::internal << std::setw(6) << -7 << "\n";

  std::istringstream in("10 20 x 30");
  int a, b, c;
  in >> a >> b;
  in >> c;
  std::cout << "parsed " << a << " " << b << " fail=" << in.fail() << "\n";
  in.clear();
  std::string word;
  in >> word >> c;
  std::cout << "recovered " << word << " " << c << " eof=" << in.eof() << "\n";

  std::map<std::string, int> counts;
  std::string text = "the quick brown fox jumps over the lazy dog the end";
  std::istringstream ws(text);
  while (ws >> word) counts[word]++;
  for (const auto &[k, v] : counts) std::cout << k << "=" << v << " ";
  std::cout << "\n";
  std::unordered_map<int, int> um;
  for (int i = 0; i < 20; i++) um[i * 7 % 13] += i;
  std::vector<std::pair<int, int>> items(um.begin(), um.end());
  std::sort(items.begin(), items.end());
  for (auto &p : items) std::cout << p.first << ":" << p.second << " ";
  std::cout << "buckets>0=" << (um.bucket_count() > 0) << "\n";

  std::vector<std::pair<int, std::string>> recs = {{3, "c"}, {1, "a"}, {3, "a"}, {2, "z"}, {1, "b"}, {3, "b"}};
  std::stable_sort(recs.begin(), recs.end(), [](auto &x, auto &y) { return x.first < y.first; });
  for (auto &r : recs) std::cout << r.first << r.second << " ";
  std::cout << "\n";
  std::vector<int> v(20);
  std::iota(v.begin(), v.end(), 1);
  std::mt19937 gen(12345);
  std::shuffle(v.begin(), v.end(), gen);
  for (int x : v) std::cout << x << " ";
  std::cout << "\n";
  std::mt19937 g2(42);
  std::mt19937_64 g3(7);
  std::cout << g2() << " " << g2() << " " << g3() << "\n";
  std::minstd_rand g4(1);
  std::cout << g4() << " " << g4() << "\n";
  std::uniform_int_distribution<int> dist(1, 6);
  for (int i = 0; i < 10; i++) std::cout << dist(g2);
  std::cout << "\n";
  std::sort(v.begin(), v.end(), std::greater<>());
  std::cout << "max=" << *std::max_element(v.begin(), v.end()) << " sum=" << std::accumulate(v.begin(), v.end(), 0)
            << " lb=" << (std::lower_bound(v.rbegin(), v.rend(), 7) - v.rbegin()) << "\n";
  std::set<std::string> ss = {"delta", "alpha", "charlie", "bravo"};
  for (auto &s : ss) std::cout << s << " ";
  std::cout << "\n";

  std::regex re(R"((\w+)@(\w+)\.com)");
  std::string mail = "alice@example.com, bob@test.com; nobody@nowhere.org";
  for (std::sregex_iterator it(mail.begin(), mail.end(), re), end; it != end; ++it)
    std::cout << "user=" << (*it)[1] << " host=" << (*it)[2] << "\n";
  std::cout << std::regex_replace(std::string("a1b22c333"), std::regex("[0-9]+"), "#") << " "
            << std::regex_match("2024-01-31", std::regex(R"(\d{4}-\d{2}-\d{2})")) << "\n";

  try {
    thrower(3);
  } catch (const std::exception &e) {
    std::cout << "caught " << e.what() << "\n";
  }
  try {
    std::vector<int> small(2);
    small.at(5) = 1;
  } catch (const std::out_of_range &e) {
    std::cout << "at() threw out_of_range\n";
  }
  try {
    throw 17;
  } catch (int x) {
    std::cout << "caught int " << x << "\n";
  }
  try {
    std::stoi("notanumber");
  } catch (const std::invalid_argument &e) {
    std::cout << "stoi: " << e.what() << "\n";
  }
  auto sp = std::make_shared<Tracer>("shared");
  {
    auto sp2 = sp;
    std::cout << "use_count=" << sp.use_count() << "\n";
  }
  sp.reset();

  using namespace std::chrono;
  auto d = hours(1) + minutes(30) + seconds(15);
  std::cout << "seconds=" << duration_cast<seconds>(d).count() << " ms=" << duration_cast<milliseconds>(d).count()
            << " min=" << duration_cast<minutes>(d).count() << "\n";
  auto t0 = steady_clock::now();
  auto t1 = steady_clock::now();
  std::cout << "steady monotonic=" << (t1 >= t0) << "\n";

  fs::path base = "/tmp/cxxlib-test";
  fs::remove_all(base);
  fs::create_directories(base / "sub" / "deep");
  for (const char *n : {"b.txt", "a.txt", "sub/c.dat"}) {
    std::ofstream(base / n) << "content of " << n << "\n";
  }
  std::cout << "exists=" << fs::exists(base / "a.txt") << " size=" << fs::file_size(base / "a.txt")
            << " dir=" << fs::is_directory(base / "sub") << "\n";
  std::vector<std::string> names;
  for (auto &e : fs::recursive_directory_iterator(base)) names.push_back(fs::relative(e.path(), base).string());
  std::sort(names.begin(), names.end());
  for (auto &n : names) std::cout << "entry " << n << "\n";
  fs::rename(base / "b.txt", base / "sub" / "b2.txt");
  fs::copy_file(base / "a.txt", base / "a-copy.txt");
  std::ifstream rd(base / "a-copy.txt");
  std::string line;
  std::getline(rd, line);
  std::cout << "copied: " << line << "\n";
  std::error_code ec;
  fs::file_size(base / "missing", ec);
  std::cout << "missing: " << ec.message() << "\n";
  try {
    fs::file_size(base / "missing");
  } catch (const fs::filesystem_error &e) {
    std::cout << "fs error: " << e.what() << "\n";
  }
  std::cout << "path parts: " << fs::path("/a/b/c.tar.gz").filename() << " " << fs::path("/a/b/c.tar.gz").stem() << " "
            << fs::path("/a/b/c.tar.gz").extension() << " " << fs::path("/a/b/c.tar.gz").parent_path() << "\n";
  std::cout << "removed=" << fs::remove_all(base) << " exists=" << fs::exists(base) << "\n";
  fs::current_path("/tmp");
  std::cout << "cwd=" << fs::current_path() << "\n";
  std::cerr << "to stderr" << std::endl;
  return 0;
}
