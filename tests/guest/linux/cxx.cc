// C++: iostream formatting and input, the standard containers and
// algorithms, strings and streams, exceptions (hierarchies, rethrow,
// exception_ptr, unwinding through destructors, bad_alloc), RAII and smart
// pointers, virtual dispatch, templates, lambdas, optional and variant.
// "cxx uncaught" ends in std::terminate (abort, status 134).
#include <algorithm>
#include <cstring>
#include <exception>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace {

struct Trace {
  std::string name;
  explicit Trace(std::string n) : name(std::move(n)) { std::cout << "  construct " << name << "\n"; }
  ~Trace() { std::cout << "  destroy " << name << "\n"; }
};

struct AppError : std::runtime_error {
  int code;
  AppError(const std::string &what, int c) : std::runtime_error(what), code(c) {}
};
struct ParseError : AppError {
  using AppError::AppError;
};

int parse(const std::string &s) {
  Trace t("parse(" + s + ")");
  std::size_t used = 0;
  int v = 0;
  try {
    v = std::stoi(s, &used);
  } catch (const std::invalid_argument &) {
    throw ParseError("not a number: " + s, 2);
  }
  if (used != s.size()) throw ParseError("trailing characters in " + s, 3);
  if (v < 0) throw AppError("negative: " + s, 4);
  return v;
}

void exceptions() {
  std::cout << "exceptions:\n";
  for (const char *s : {"42", "x1", "7z", "-5"}) {
    try {
      std::cout << " parsed " << parse(s) << "\n";
    } catch (const ParseError &e) {
      std::cout << " ParseError(" << e.code << "): " << e.what() << "\n";
    } catch (const AppError &e) {
      std::cout << " AppError(" << e.code << "): " << e.what() << "\n";
    }
  }
  std::exception_ptr saved;
  try {
    try {
      throw std::out_of_range("inner");
    } catch (...) {
      saved = std::current_exception();
      throw;
    }
  } catch (const std::logic_error &e) {
    std::cout << " rethrown as logic_error: " << e.what() << "\n";
  }
  try {
    std::rethrow_exception(saved);
  } catch (const std::exception &e) {
    std::cout << " from exception_ptr: " << e.what() << "\n";
  }
  try {
    std::vector<int> v(3);
    (void)v.at(10);
  } catch (const std::out_of_range &) {
    std::cout << " vector::at throws out_of_range\n";
  }
  try {
    std::size_t huge = std::size_t(1) << 60;
    char *p = new char[huge];
    std::cout << " allocated?! " << static_cast<void *>(p) << "\n";
  } catch (const std::bad_alloc &e) {
    std::cout << " bad_alloc: " << e.what() << "\n";
  }
  try {
    std::function<void(int)> recurse = [&](int n) {
      Trace t("level " + std::to_string(n));
      if (n == 2) throw 17;
      recurse(n + 1);
    };
    recurse(0);
  } catch (int n) {
    std::cout << " caught int " << n << " after unwinding\n";
  }
}

void formatting() {
  std::cout << "formatting:\n";
  std::cout << " " << 3.14159265358979 << " " << std::setprecision(10) << 3.14159265358979 << " " << std::fixed
            << std::setprecision(3) << 2.0 / 3 << " " << std::scientific << 12345.678 << std::defaultfloat << "\n";
  std::cout << " [" << std::setw(8) << 42 << "] [" << std::left << std::setw(8) << "left" << std::right << "] ["
            << std::setfill('0') << std::setw(6) << 7 << std::setfill(' ') << "]\n";
  std::cout << " " << std::hex << 255 << " " << std::showbase << 255 << " " << std::oct << 8 << std::dec << std::noshowbase
            << " " << std::boolalpha << true << " " << (1 > 2) << std::noboolalpha << " " << 1e100 << " " << -0.0 << "\n";
  std::ostringstream os;
  os << "built " << 1 << '+' << 2.5 << " in a stream";
  std::cout << " " << os.str() << " (" << os.str().size() << " chars)\n";
  std::istringstream is("10 20 abc 30");
  int a, b, c;
  std::string word;
  is >> a >> b >> word >> c;
  std::cout << " parsed " << a + b + c << " and " << word << "\n";
}

template <typename Container>
std::string join(const Container &c, const char *sep = ",") {
  std::ostringstream os;
  bool first = true;
  for (const auto &x : c) {
    os << (first ? "" : sep) << x;
    first = false;
  }
  return os.str();
}

void containers() {
  std::cout << "containers:\n";
  std::vector<int> v(20);
  std::iota(v.begin(), v.end(), -5);
  std::transform(v.begin(), v.end(), v.begin(), [](int x) { return x * x - 3 * x; });
  std::sort(v.begin(), v.end(), std::greater<int>());
  std::cout << " sorted desc: " << join(v) << "\n";
  auto even = std::stable_partition(v.begin(), v.end(), [](int x) { return x % 2 == 0; });
  std::cout << " evens first: " << join(v) << " (" << (even - v.begin()) << " evens)\n";
  std::cout << " sum " << std::accumulate(v.begin(), v.end(), 0LL) << ", max " << *std::max_element(v.begin(), v.end())
            << ", count>50 " << std::count_if(v.begin(), v.end(), [](int x) { return x > 50; }) << "\n";
  std::map<std::string, int> freq;
  std::string text = "the cat and the dog and the bird";
  std::istringstream words(text);
  for (std::string w; words >> w;) ++freq[w];
  for (const auto &[w, n] : freq) std::cout << " " << w << "=" << n;
  std::cout << "\n";
  std::unordered_map<int, std::string> names{{3, "three"}, {1, "one"}, {2, "two"}};
  std::vector<int> keys;
  for (const auto &kv : names) keys.push_back(kv.first);
  std::sort(keys.begin(), keys.end());
  for (int k : keys) std::cout << " " << k << ":" << names[k];
  std::cout << "\n";
  std::set<std::string> s{"pear", "apple", "fig", "apple"};
  std::cout << " set: " << join(s, " ") << " (size " << s.size() << ")\n";
  std::vector<std::string> strs{"banana", "Apple", "cherry", "apple", "Banana"};
  std::sort(strs.begin(), strs.end());
  std::cout << " strings: " << join(strs, " ") << "\n";
  std::string str = "Hello, World";
  std::reverse(str.begin(), str.end());
  std::cout << " reversed: " << str << ", find: " << str.find("oW") << ", substr: " << str.substr(2, 5) << "\n";
}

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual std::string name() const { return "shape"; }
};
struct Square : Shape {
  double s;
  explicit Square(double x) : s(x) {}
  double area() const override { return s * s; }
  std::string name() const override { return "square"; }
};
struct Circle : Shape {
  double r;
  explicit Circle(double x) : r(x) {}
  double area() const override { return 3.141592653589793 * r * r; }
};

void objects() {
  std::cout << "objects:\n";
  std::vector<std::unique_ptr<Shape>> shapes;
  shapes.push_back(std::make_unique<Square>(3));
  shapes.push_back(std::make_unique<Circle>(1.5));
  for (const auto &s : shapes) std::cout << " " << s->name() << " area " << s->area() << "\n";
  std::shared_ptr<Trace> a = std::make_shared<Trace>("shared");
  {
    std::shared_ptr<Trace> b = a;
    std::cout << " use_count " << a.use_count() << "\n";
  }
  std::weak_ptr<Trace> w = a;
  a.reset();
  std::cout << " expired " << w.expired() << "\n";
  std::optional<int> none, some = 5;
  std::cout << " optional: " << none.value_or(-1) << " " << some.value_or(-1) << "\n";
  std::variant<int, std::string, double> var = std::string("text");
  auto show = [](const auto &x) { std::cout << " variant holds " << x << "\n"; };
  std::visit(show, var);
  var = 2.5;
  std::visit(show, var);
}

void input() {
  std::cout << "input:\n";
  long total = 0;
  int count = 0;
  std::string token;
  while (std::cin >> token) {
    try {
      total += std::stol(token);
      count++;
    } catch (const std::exception &) {
      std::cout << " skipped '" << token << "'\n";
    }
  }
  std::cout << " " << count << " numbers, total " << total << "\n";
}

}  // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "uncaught") == 0) {
    std::cout << "about to throw" << std::endl;
    throw std::runtime_error("nobody catches this");
  }
  formatting();
  containers();
  objects();
  exceptions();
  input();
  std::cerr << "cerr works too" << std::endl;
  return 0;
}
