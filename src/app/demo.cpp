#include "app/demo.hpp"

#include "core/event.hpp"
#include "core/scoring.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace tandem::app {
namespace {

using core::Activity;
using core::ActivityType;
using core::Actor;
using core::Company;
using core::Contact;
using core::Deal;
using core::DealStage;
using core::Id;
using core::Instant;
using core::Role;
using core::Stage;
using core::StageChange;
using Words = std::span<const std::string_view>;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::string_view kCompanyName = "Northwind Analytics";

// ---------------------------------------------------------------------------------------------
// Randomness: one Mersenne Twister and distributions written here, so a seed gives the same
// company with any standard library.

class Random {
 public:
  explicit Random(std::uint64_t seed) : rng_(seed) {}

  // [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  // [0, n) for n > 0.
  std::int64_t Below(std::int64_t n) {
    return std::min<std::int64_t>(n - 1, static_cast<std::int64_t>(Uniform() * n));
  }
  std::int64_t Between(std::int64_t lo, std::int64_t hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return Uniform() < p; }
  double Normal() {  // Box-Muller, one value per call
    const double u1 = 1.0 - Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
  }
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }
  std::string_view Pick(Words words) {
    return words[static_cast<std::size_t>(Below(static_cast<std::int64_t>(words.size())))];
  }
  template <class T>
  const T& PickOf(std::span<const T> items) {
    return items[static_cast<std::size_t>(Below(static_cast<std::int64_t>(items.size())))];
  }
  // An index drawn with the given (non-negative, not all zero) weights.
  std::size_t Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::mt19937_64 rng_;
};

// ---------------------------------------------------------------------------------------------
// Word lists.

enum NameGroup : std::uint8_t {
  kEnglish,
  kGerman,
  kFrench,
  kDutch,
  kNordic,
  kSpanish,
  kItalian,
  kPolish,
  kIndian,
  kChinese,
  kArabic,
  kWestAfrican,
  kTurkish,
  kNameGroups
};

constexpr std::string_view kEnglishFirst[] = {
    "James",       "Olivia",  "William",  "Emma",    "Oliver", "Charlotte", "Henry",   "Amelia",
    "Jack",        "Sophie",  "Thomas",   "Grace",   "Daniel", "Hannah",    "Matthew", "Emily",
    "Ryan",        "Lauren",  "Michael",  "Sarah",   "David",  "Rachel",    "Andrew",  "Megan",
    "Christopher", "Jessica", "Benjamin", "Kate",    "Nathan", "Laura",     "Robert",  "Abigail",
    "Samuel",      "Chloe",   "Liam",     "Madison", "Ethan",  "Natalie",   "Aaron",   "Rebecca",
    "Patrick",     "Fiona",   "Gareth",   "Siobhan"};
constexpr std::string_view kEnglishLast[] = {
    "Smith",   "Johnson",  "Williams",  "Brown",   "Jones",  "Miller",   "Davis",    "Wilson",
    "Taylor",  "Anderson", "Thomas",    "Moore",   "Martin", "Thompson", "White",    "Harris",
    "Clark",   "Lewis",    "Walker",    "Hall",    "Allen",  "Young",    "King",     "Wright",
    "Scott",   "Green",    "Baker",     "Adams",   "Nelson", "Hill",     "Campbell", "Mitchell",
    "Roberts", "Carter",   "Phillips",  "Evans",   "Turner", "Parker",   "Collins",  "Edwards",
    "Stewart", "Morris",   "Murphy",    "Cook",    "Rogers", "O'Brien",  "Bennett",  "Hughes",
    "Foster",  "Price",    "Gallagher", "McKenzie"};
constexpr std::string_view kGermanFirst[] = {
    "Lukas",   "Anna",    "Jonas",     "Lena",  "Felix",    "Laura",     "Maximilian", "Julia",
    "Leon",    "Sophie",  "Paul",      "Marie", "Tobias",   "Katharina", "Jan",        "Sarah",
    "Florian", "Johanna", "Sebastian", "Lisa",  "Matthias", "Christina", "Stefan",     "Sabine",
    "Jürgen",  "Ute",     "Andreas",   "Petra", "Markus",   "Anja",      "Niklas",     "Franziska",
    "Moritz",  "Theresa", "Björn",     "Jörg"};
constexpr std::string_view kGermanLast[] = {
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber",   "Meyer",      "Wagner",
    "Becker", "Schulz",  "Hoffmann",  "Schäfer", "Koch",    "Bauer",      "Richter",
    "Klein",  "Wolf",    "Schröder",  "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger", "Hofmann", "Hartmann",  "Lange",   "Schmitt", "Werner",     "Krause",
    "Meier",  "Lehmann", "Köhler",    "Vogel",   "Frank",   "Berger",     "Weiß"};
constexpr std::string_view kFrenchFirst[] = {
    "Camille", "Louis",    "Manon",   "Hugo",    "Chloé",    "Lucas",  "Léa",      "Arthur",
    "Emma",    "Jules",    "Inès",    "Théo",    "Juliette", "Nathan", "Sarah",    "Antoine",
    "Élodie",  "Maxime",   "Pauline", "Nicolas", "Amélie",   "Julien", "Mathilde", "Guillaume",
    "Céline",  "François", "Hélène",  "Olivier", "Claire",   "Romain"};
constexpr std::string_view kFrenchLast[] = {
    "Martin",   "Bernard",  "Dubois",   "Thomas",  "Robert",  "Richard",  "Petit",
    "Durand",   "Leroy",    "Moreau",   "Simon",   "Laurent", "Lefebvre", "Michel",
    "Garcia",   "David",    "Bertrand", "Roux",    "Vincent", "Fournier", "Morel",
    "Girard",   "André",    "Lefèvre",  "Mercier", "Dupont",  "Lambert",  "Bonnet",
    "François", "Rousseau", "Blanc",    "Guérin",  "Faure",   "Chevalier"};
constexpr std::string_view kDutchFirst[] = {
    "Daan",  "Sanne",  "Sem",   "Lotte",   "Lucas", "Fleur",  "Bram",   "Eva",
    "Thijs", "Anouk",  "Ruben", "Lisa",    "Jesse", "Femke",  "Milan",  "Iris",
    "Niels", "Sophie", "Koen",  "Marloes", "Joost", "Esther", "Pieter", "Maaike"};
constexpr std::string_view kDutchLast[] = {
    "de Jong",  "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker",   "Janssen",
    "Visser",   "Smit",   "Meijer",   "de Boer",      "Mulder",   "de Groot", "Bos",
    "Vos",      "Peters", "Hendriks", "van Leeuwen",  "Dekker",   "Brouwer",  "de Wit",
    "Dijkstra", "Smits",  "de Graaf", "van der Meer"};
constexpr std::string_view kNordicFirst[] = {
    "Erik",  "Anna",   "Lars",   "Emma",   "Johan", "Maja",  "Anders", "Sofia",
    "Nils",  "Ingrid", "Magnus", "Astrid", "Oskar", "Freja", "Mikkel", "Ida",
    "Søren", "Karin",  "Henrik", "Linnea", "Björn", "Åsa",   "Mads",   "Sigrid"};
constexpr std::string_view kNordicLast[] = {
    "Andersson", "Johansson", "Karlsson",  "Nilsson",    "Eriksson",  "Larsson",
    "Olsson",    "Persson",   "Svensson",  "Gustafsson", "Lindqvist", "Lindberg",
    "Jensen",    "Nielsen",   "Hansen",    "Pedersen",   "Andersen",  "Christensen",
    "Larsen",    "Sørensen",  "Rasmussen", "Bergström",  "Holm",      "Dahl"};
constexpr std::string_view kSpanishFirst[] = {
    "Lucía",  "Hugo",     "Martina", "Pablo",    "Sofía",  "Alejandro", "María",
    "Daniel", "Paula",    "Javier",  "Carmen",   "Álvaro", "Laura",     "Diego",
    "Elena",  "Carlos",   "Ana",     "Sergio",   "Marta",  "Miguel",    "Isabel",
    "Adrián", "Cristina", "Jorge",   "Gabriela", "Luis"};
constexpr std::string_view kSpanishLast[] = {
    "García", "Rodríguez", "González", "Fernández", "López",    "Martínez",  "Sánchez",
    "Pérez",  "Gómez",     "Martín",   "Jiménez",   "Ruiz",     "Hernández", "Díaz",
    "Moreno", "Muñoz",     "Álvarez",  "Romero",    "Alonso",   "Gutiérrez", "Navarro",
    "Torres", "Domínguez", "Vázquez",  "Ramos",     "Castillo", "Ortega"};
constexpr std::string_view kItalianFirst[] = {
    "Giulia",  "Alessandro", "Francesca", "Lorenzo",  "Chiara", "Matteo", "Sara",     "Andrea",
    "Martina", "Marco",      "Valentina", "Luca",     "Elena",  "Davide", "Federica", "Simone",
    "Alessia", "Giorgio",    "Silvia",    "Riccardo", "Paola",  "Stefano"};
constexpr std::string_view kItalianLast[] = {
    "Rossi",    "Russo", "Ferrari",  "Esposito", "Bianchi",  "Romano",  "Colombo", "Ricci",
    "Marino",   "Greco", "Bruno",    "Gallo",    "Conti",    "De Luca", "Mancini", "Costa",
    "Giordano", "Rizzo", "Lombardi", "Moretti",  "Barbieri", "Fontana"};
constexpr std::string_view kPolishFirst[] = {
    "Jakub",  "Anna",       "Piotr",  "Katarzyna", "Tomasz",    "Agnieszka",
    "Paweł",  "Magdalena",  "Michał", "Joanna",    "Krzysztof", "Monika",
    "Łukasz", "Aleksandra", "Marcin", "Zofia",     "Kamil",     "Natalia"};
constexpr std::string_view kPolishLast[] = {
    "Nowak",       "Kowalski",  "Wiśniewski",  "Wójcik",   "Kowalczyk",  "Kamiński",
    "Lewandowski", "Zieliński", "Szymański",   "Woźniak",  "Dąbrowski",  "Kozłowski",
    "Jankowski",   "Mazur",     "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski"};
constexpr std::string_view kIndianFirst[] = {"Priya",  "Arjun",   "Ananya", "Rahul",   "Neha",
                                             "Vikram", "Kavya",   "Rohan",  "Divya",   "Aditya",
                                             "Pooja",  "Sanjay",  "Meera",  "Karthik", "Shreya",
                                             "Nikhil", "Lakshmi", "Amit",   "Deepika", "Varun"};
constexpr std::string_view kIndianLast[] = {"Sharma",     "Patel", "Singh",    "Kumar",   "Gupta",
                                            "Reddy",      "Iyer",  "Nair",     "Rao",     "Mehta",
                                            "Joshi",      "Desai", "Shah",     "Kapoor",  "Menon",
                                            "Chatterjee", "Bose",  "Malhotra", "Agarwal", "Pillai"};
constexpr std::string_view kChineseFirst[] = {"Wei", "Mei", "Jun",  "Li",   "Hao",  "Xin",
                                              "Lei", "Yan", "Jing", "Chen", "Ying", "Tao",
                                              "Lin", "Hui", "Ming", "Fang"};
constexpr std::string_view kChineseLast[] = {"Wang",  "Li",   "Zhang", "Liu",  "Chen", "Yang",
                                             "Huang", "Zhao", "Wu",    "Zhou", "Xu",   "Sun",
                                             "Ma",    "Zhu",  "Hu",    "Lin"};
constexpr std::string_view kArabicFirst[] = {
    "Omar",   "Layla",  "Youssef", "Amira", "Karim", "Nadia", "Ahmed", "Samira",
    "Hassan", "Yasmin", "Tariq",   "Leila", "Mehdi", "Salma", "Rami",  "Inès"};
constexpr std::string_view kArabicLast[] = {"Haddad", "Khalil", "Mansour", "Nasser",   "Saleh",
                                            "Farouk", "Hamdi",  "Benali",  "Boukhari", "El Amrani",
                                            "Aziz",   "Rahman", "Hussein", "Karimi"};
constexpr std::string_view kWestAfricanFirst[] = {"Chinedu", "Amara",  "Kwame", "Adaeze",
                                                  "Tunde",   "Ngozi",  "Kofi",  "Abena",
                                                  "Emeka",   "Folake", "Yaw",   "Chiamaka"};
constexpr std::string_view kWestAfricanLast[] = {"Okafor", "Adeyemi", "Mensah",  "Okonkwo",
                                                 "Asante", "Balogun", "Nwosu",   "Boateng",
                                                 "Eze",    "Owusu",   "Adebayo", "Osei"};
constexpr std::string_view kTurkishFirst[] = {"Emre", "Elif",  "Mehmet", "Zeynep", "Can",
                                              "Ayşe", "Burak", "Selin",  "Mert",   "Deniz"};
constexpr std::string_view kTurkishLast[] = {"Yılmaz", "Kaya",  "Demir",  "Şahin",  "Çelik",
                                             "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan"};

struct NameList {
  Words first;
  Words last;
};
constexpr NameList kNames[kNameGroups] = {
    {kEnglishFirst, kEnglishLast}, {kGermanFirst, kGermanLast},
    {kFrenchFirst, kFrenchLast},   {kDutchFirst, kDutchLast},
    {kNordicFirst, kNordicLast},   {kSpanishFirst, kSpanishLast},
    {kItalianFirst, kItalianLast}, {kPolishFirst, kPolishLast},
    {kIndianFirst, kIndianLast},   {kChineseFirst, kChineseLast},
    {kArabicFirst, kArabicLast},   {kWestAfricanFirst, kWestAfricanLast},
    {kTurkishFirst, kTurkishLast}};

enum Language : std::uint8_t { kEn, kDe, kFr, kNl, kNo, kEs, kIt, kPl };

// Manufacturing company descriptors, by the language of the country.
constexpr std::string_view kMfgEn[] = {"Manufacturing", "Precision",   "Components", "Metalworks",
                                       "Industrial",    "Fabrication", "Plastics",   "Machinery",
                                       "Packaging",     "Automation",  "Tooling",    "Castings"};
constexpr std::string_view kMfgDe[] = {
    "Maschinenbau",       "Präzisionstechnik", "Antriebstechnik",  "Kunststofftechnik",
    "Metallwerk",         "Fördertechnik",     "Industrietechnik", "Armaturen",
    "Verpackungstechnik", "Elektrotechnik"};
constexpr std::string_view kMfgFr[] = {"Industries", "Mécanique", "Composants",      "Plasturgie",
                                       "Emballages", "Usinage",   "Électrotechnique"};
constexpr std::string_view kMfgNl[] = {"Techniek",     "Machinebouw", "Metaal",
                                       "Verpakkingen", "Industrie",   "Kunststoffen"};
constexpr std::string_view kMfgNo[] = {"Verkstad", "Industri", "Mekanik",
                                       "Maskin",   "Plast",    "Komponenter"};
constexpr std::string_view kMfgEs[] = {"Industrial", "Componentes", "Mecanizados",
                                       "Envases",    "Metalúrgica", "Automatización"};
constexpr std::string_view kMfgIt[] = {"Meccanica",  "Componenti", "Plastica",
                                       "Imballaggi", "Industrie",  "Automazione"};
constexpr std::string_view kMfgPl[] = {"Technika",   "Maszyny",    "Metal",
                                       "Komponenty", "Opakowania", "Automatyka"};
constexpr Words kMfgDescriptors[] = {kMfgEn, kMfgDe, kMfgFr, kMfgNl,
                                     kMfgNo, kMfgEs, kMfgIt, kMfgPl};

constexpr std::string_view kStems[] = {
    "Atlas",      "Vulcan",   "Ironbridge", "Northgate",  "Rheintal",   "Alpina",      "Baltic",
    "Meridian",   "Summit",   "Keystone",   "Granite",    "Harbor",     "Redwood",     "Silverline",
    "Falcon",     "Orion",    "Titan",      "Pioneer",    "Sterling",   "Crown",       "Cascade",
    "Apex",       "Lakeside", "Riverside",  "Westbrook",  "Eastfield",  "Stonebridge", "Blackwood",
    "Oakridge",   "Kessler",  "Brandt",     "Hoffmann",   "Lindholm",   "Moreau",      "Bianchi",
    "Van Houten", "Novak",    "Sorensen",   "Carrington", "Whitfield",  "Ashford",     "Hartwell",
    "Bergmann",   "Fontaine", "Rinaldi",    "Castell",    "Nordstrand", "Weston",      "Halden",
    "Kingsley",   "Marlow",   "Fairbanks",  "Thornton",   "Delmar",     "Calloway",    "Brookfield",
    "Ridgeway",   "Ostwald",  "Sonnenberg", "Valdés",     "Arcadia",    "Polaris",     "Beaumont",
    "Langley",    "Ellison",  "Greywater",  "Holloway",   "Pemberton",  "Steinfeld",   "Waldner",
    "Corvin",     "Linden",   "Maddox",     "Norwood",    "Prescott",   "Quayle",      "Rosenthal",
    "Sandberg",   "Trevani",  "Wexford"};

constexpr std::string_view kSaasPrefixes[] = {
    "Data",   "Cloud", "Stack", "Loop",   "Flow",   "Pipe",  "Signal", "Metric", "Quanta", "Nimbus",
    "Ledger", "Pulse", "Orbit", "Vector", "Beacon", "Relay", "Spark",  "Shift",  "Bright", "Clear",
    "Swift",  "Lumen", "Nova",  "Hyper",  "Open",   "True",  "Kin",    "Fin",    "Hire",   "Ship",
    "Cart",   "Care",  "Lex",   "Dev",    "Track",  "Mint",  "Sky",    "Zen",    "Folio",  "Crowd",
    "Task",   "Grid",  "Node",  "Sync",   "Wave",   "Scout", "Pixel",  "Tally",  "Verse",  "Atom"};
constexpr std::string_view kSaasSuffixes[] = {
    "ly",    "ify",  "wise", "hub",   "base", "mint", "forge", "lane",  "desk", "scale",
    "path",  "grid", "nest", "works", "lab",  "io",   "stack", "bird",  "fox",  "loop",
    "pilot", "beam", "yard", "ware",  "kit",  "dock", "line",  "craft", "flow", "bay"};
constexpr std::string_view kSaasAdjectives[] = {
    "Bright", "Quiet",  "Bold",  "Clever", "Happy", "Rapid", "Steady", "Little", "Blue",   "Green",
    "Silver", "Golden", "Polar", "Urban",  "Prime", "Lucid", "Vivid",  "Honest", "Modern", "Simple",
    "Second", "North",  "True",  "Wild",   "Red",   "Open",  "Next",   "Deep",   "Clear",  "Sharp"};
constexpr std::string_view kSaasNouns[] = {
    "Ledger",  "Signal", "Harbor",  "Canvas", "Compass", "Lantern", "Anchor",     "Engine",
    "Meadow",  "Orbit",  "Pigeon",  "Otter",  "Falcon",  "Rocket",  "Summit",     "Atlas",
    "Matrix",  "Garden", "Bridge",  "Beacon", "Cobalt",  "Prism",   "Quill",      "Ember",
    "Tide",    "Maple",  "Harvest", "Comet",  "Raven",   "Badger",  "Lighthouse", "Pebble",
    "Foundry", "Relay",  "Circuit", "Cedar",  "Delta",   "Sparrow", "Vertex",     "Kite"};
constexpr std::string_view kSaasTails[] = {"",          "",    "",    " Labs", " Technologies",
                                           " Software", " HQ", " AI", ""};

enum Segment : std::uint8_t { kManufacturing, kSaas, kOther, kSegments };

struct OtherIndustry {
  std::string_view industry;
  Words descriptors;
  Words details;
};
constexpr std::string_view kLogisticsWords[] = {"Logistics", "Freight", "Transport", "Shipping",
                                                "Distribution"};
constexpr std::string_view kLogisticsDetails[] = {"Freight forwarding", "Warehousing",
                                                  "Last-mile delivery"};
constexpr std::string_view kRetailWords[] = {"Retail", "Stores", "Home & Living", "Fashion",
                                             "Outdoor"};
constexpr std::string_view kRetailDetails[] = {"Specialty retail", "Online retail", "Wholesale"};
constexpr std::string_view kHealthWords[] = {"Health", "Clinics", "Medical", "Care", "Labs"};
constexpr std::string_view kHealthDetails[] = {"Clinics", "Medical devices", "Diagnostics"};
constexpr std::string_view kFinanceWords[] = {"Capital", "Finance", "Insurance", "Wealth",
                                              "Payments"};
constexpr std::string_view kFinanceDetails[] = {"Insurance", "Asset management", "Payments"};
constexpr std::string_view kServicesWords[] = {"Consulting", "Partners", "Advisory", "Associates",
                                               "Group"};
constexpr std::string_view kServicesDetails[] = {"Management consulting", "Engineering services",
                                                 "Accounting"};
constexpr std::string_view kEnergyWords[] = {"Energy", "Power", "Renewables", "Utilities"};
constexpr std::string_view kEnergyDetails[] = {"Renewables", "Utilities", "Energy services"};
constexpr OtherIndustry kOtherIndustries[] = {
    {"Logistics", kLogisticsWords, kLogisticsDetails},
    {"Retail", kRetailWords, kRetailDetails},
    {"Healthcare", kHealthWords, kHealthDetails},
    {"Financial Services", kFinanceWords, kFinanceDetails},
    {"Professional Services", kServicesWords, kServicesDetails},
    {"Energy", kEnergyWords, kEnergyDetails}};
constexpr std::string_view kMfgDetails[] = {"Industrial machinery", "Automotive parts",
                                            "Plastics & packaging", "Metal fabrication",
                                            "Electrical equipment", "Food processing equipment"};
constexpr std::string_view kSaasDetails[] = {"Fintech",
                                             "HR tech",
                                             "Martech",
                                             "Supply-chain software",
                                             "Healthtech",
                                             "Developer tools",
                                             "E-commerce platform",
                                             "Legal tech"};

// Titles: the two personas, and everyone else by kind of company.
constexpr std::string_view kOpsTitles[] = {"VP Operations",
                                           "Head of Operations",
                                           "Director of Operations",
                                           "Chief Operating Officer",
                                           "Plant Manager",
                                           "Operations Manager",
                                           "Head of Supply Chain",
                                           "Production Director",
                                           "Operational Excellence Lead",
                                           "Manufacturing Operations Manager",
                                           "Leiter Produktion",
                                           "Directeur des Opérations"};
constexpr std::string_view kDataTitles[] = {"Head of Data",
                                            "VP Data",
                                            "Director of Data & Analytics",
                                            "Head of Analytics",
                                            "Data Platform Lead",
                                            "Analytics Engineering Manager",
                                            "Chief Data Officer",
                                            "Head of BI",
                                            "Data Engineering Manager",
                                            "Director of Business Intelligence"};
constexpr std::string_view kMfgOtherTitles[] = {
    "Quality Engineer", "Purchasing Manager",  "IT Manager",
    "Controller",       "HR Business Partner", "Maintenance Technician",
    "Sales Engineer",   "Marketing Manager",   "Process Engineer"};
constexpr std::string_view kSaasOtherTitles[] = {
    "Software Engineer",        "Product Manager", "Marketing Manager", "Account Executive",
    "Customer Success Manager", "Finance Manager", "Data Analyst",      "Founder & CEO",
    "Growth Marketer"};
constexpr std::string_view kOtherTitles[] = {
    "Operations Manager", "Business Analyst",   "CFO",
    "IT Director",        "Marketing Director", "Consultant",
    "Office Manager",     "Project Manager",    "Head of Finance",
    "Data Analyst"};
constexpr std::string_view kFreemailTitles[] = {
    "Student",   "MSc Student", "Freelance Consultant", "", "", "Independent Consultant",
    "Job seeker"};
constexpr std::string_view kFreemailDomains[] = {"mail.example", "inbox.example", "webmail.example",
                                                 "campus.example"};

// ---------------------------------------------------------------------------------------------
// Countries and territories.

enum Territory : std::uint8_t { kEmea, kNorthAmerica, kTerritories };

struct Country {
  std::string_view code;
  Territory territory;
  double weight;  // within the territory
  std::string_view phone_prefix;
  Language language;
  std::array<std::pair<NameGroup, double>, 6> names;  // zero weights unused
  Words legal_forms;
  Words cities;
};

constexpr std::string_view kLegalDe[] = {"GmbH", "GmbH", "GmbH", "AG", "GmbH & Co. KG"};
constexpr std::string_view kLegalGb[] = {"Ltd", "Ltd", "Ltd", "plc"};
constexpr std::string_view kLegalFr[] = {"SAS", "SAS", "SA"};
constexpr std::string_view kLegalNl[] = {"B.V."};
constexpr std::string_view kLegalEs[] = {"S.L.", "S.A."};
constexpr std::string_view kLegalIt[] = {"S.r.l.", "S.p.A."};
constexpr std::string_view kLegalSe[] = {"AB"};
constexpr std::string_view kLegalCh[] = {"AG", "GmbH", "SA"};
constexpr std::string_view kLegalPl[] = {"Sp. z o.o.", "S.A."};
constexpr std::string_view kLegalDk[] = {"A/S", "ApS"};
constexpr std::string_view kLegalBe[] = {"NV", "SA", "BV"};
constexpr std::string_view kLegalIe[] = {"Ltd", "DAC"};
constexpr std::string_view kLegalUs[] = {"Inc.", "Inc.", "LLC", "Corp."};
constexpr std::string_view kLegalCa[] = {"Inc.", "Ltd."};

constexpr std::string_view kCitiesDe[] = {"Augsburg", "Stuttgart", "Bielefeld", "Dortmund",
                                          "Kassel",   "Ulm",       "Freiburg",  "Nürnberg",
                                          "Leipzig",  "Dresden",   "Hannover",  "Bremen",
                                          "Mannheim", "Karlsruhe", "Regensburg"};
constexpr std::string_view kCitiesGb[] = {"Sheffield",  "Leeds",    "Birmingham", "Coventry",
                                          "Derby",      "Bristol",  "Manchester", "Glasgow",
                                          "Nottingham", "Leicester"};
constexpr std::string_view kCitiesFr[] = {"Lyon",  "Grenoble", "Toulouse",   "Nantes",
                                          "Lille", "Bordeaux", "Strasbourg", "Rennes"};
constexpr std::string_view kCitiesNl[] = {"Eindhoven", "Utrecht",  "Rotterdam",
                                          "Tilburg",   "Enschede", "Groningen"};
constexpr std::string_view kCitiesEs[] = {"Bilbao",  "Valencia",  "Zaragoza",
                                          "Sevilla", "Barcelona", "Madrid"};
constexpr std::string_view kCitiesIt[] = {"Torino",  "Bologna", "Brescia",
                                          "Bergamo", "Padova",  "Milano"};
constexpr std::string_view kCitiesSe[] = {"Göteborg", "Malmö", "Västerås", "Örebro", "Linköping"};
constexpr std::string_view kCitiesCh[] = {"Basel", "Winterthur", "Zug", "Luzern", "Bern"};
constexpr std::string_view kCitiesPl[] = {"Poznań", "Wrocław",  "Łódź",
                                          "Gdańsk", "Katowice", "Kraków"};
constexpr std::string_view kCitiesDk[] = {"Aarhus", "Odense", "Aalborg", "Vejle"};
constexpr std::string_view kCitiesBe[] = {"Gent", "Antwerpen", "Liège", "Leuven"};
constexpr std::string_view kCitiesIe[] = {"Cork", "Galway", "Limerick"};
constexpr std::string_view kCitiesUs[] = {
    "Ohio",    "Texas",  "Midwest", "Carolina", "Pacific",    "Great Lakes", "Dakota",   "Michigan",
    "Atlanta", "Denver", "Phoenix", "Portland", "Pittsburgh", "Milwaukee",   "Cleveland"};
constexpr std::string_view kCitiesCa[] = {"Ontario", "Quebec",  "Alberta",
                                          "Toronto", "Calgary", "Winnipeg"};

constexpr Country kCountries[] = {
    {"DE",
     kEmea,
     0.22,
     "+49",
     kDe,
     {{{kGerman, .82}, {kTurkish, .07}, {kPolish, .04}, {kEnglish, .03}, {kArabic, .04}}},
     kLegalDe,
     kCitiesDe},
    {"GB",
     kEmea,
     0.20,
     "+44",
     kEn,
     {{{kEnglish, .72},
       {kIndian, .12},
       {kWestAfrican, .05},
       {kPolish, .04},
       {kChinese, .03},
       {kArabic, .04}}},
     kLegalGb,
     kCitiesGb},
    {"FR",
     kEmea,
     0.14,
     "+33",
     kFr,
     {{{kFrench, .82}, {kArabic, .10}, {kWestAfrican, .04}, {kEnglish, .02}, {kSpanish, .02}}},
     kLegalFr,
     kCitiesFr},
    {"NL",
     kEmea,
     0.09,
     "+31",
     kNl,
     {{{kDutch, .82}, {kTurkish, .05}, {kArabic, .05}, {kEnglish, .04}, {kGerman, .04}}},
     kLegalNl,
     kCitiesNl},
    {"ES",
     kEmea,
     0.07,
     "+34",
     kEs,
     {{{kSpanish, .90}, {kEnglish, .04}, {kFrench, .03}, {kItalian, .03}}},
     kLegalEs,
     kCitiesEs},
    {"IT",
     kEmea,
     0.07,
     "+39",
     kIt,
     {{{kItalian, .92}, {kEnglish, .03}, {kSpanish, .03}, {kArabic, .02}}},
     kLegalIt,
     kCitiesIt},
    {"SE",
     kEmea,
     0.05,
     "+46",
     kNo,
     {{{kNordic, .86}, {kArabic, .05}, {kEnglish, .05}, {kGerman, .04}}},
     kLegalSe,
     kCitiesSe},
    {"CH",
     kEmea,
     0.04,
     "+41",
     kDe,
     {{{kGerman, .62}, {kFrench, .22}, {kItalian, .10}, {kEnglish, .06}}},
     kLegalCh,
     kCitiesCh},
    {"PL",
     kEmea,
     0.04,
     "+48",
     kPl,
     {{{kPolish, .95}, {kEnglish, .03}, {kGerman, .02}}},
     kLegalPl,
     kCitiesPl},
    {"DK",
     kEmea,
     0.03,
     "+45",
     kNo,
     {{{kNordic, .90}, {kGerman, .04}, {kEnglish, .06}}},
     kLegalDk,
     kCitiesDk},
    {"BE",
     kEmea,
     0.03,
     "+32",
     kNl,
     {{{kDutch, .48}, {kFrench, .44}, {kArabic, .05}, {kEnglish, .03}}},
     kLegalBe,
     kCitiesBe},
    {"IE",
     kEmea,
     0.02,
     "+353",
     kEn,
     {{{kEnglish, .92}, {kPolish, .05}, {kIndian, .03}}},
     kLegalIe,
     kCitiesIe},
    {"US",
     kNorthAmerica,
     0.86,
     "+1",
     kEn,
     {{{kEnglish, .62},
       {kSpanish, .14},
       {kIndian, .09},
       {kChinese, .07},
       {kWestAfrican, .04},
       {kArabic, .04}}},
     kLegalUs,
     kCitiesUs},
    {"CA",
     kNorthAmerica,
     0.14,
     "+1",
     kEn,
     {{{kEnglish, .58},
       {kFrench, .20},
       {kChinese, .08},
       {kIndian, .08},
       {kArabic, .03},
       {kSpanish, .03}}},
     kLegalCa,
     kCitiesCa},
};
constexpr std::size_t kCountryCount = std::size(kCountries);

// UTC hours at which people of a territory are at work, as relative weights.
constexpr double kEmeaHours[24] = {.05, .04, .04, .04, .05, .15, .4,  .8,  1,   1,   1,   .9,
                                   .85, 1,   1,   1,   .9,  .6,  .35, .25, .18, .12, .08, .06};
constexpr double kNaHours[24] = {.5, .35, .2, .1, .06, .04, .04, .04, .05, .08, .15, .35,
                                 .7, 1,   1,  1,  .95, .9,  1,   1,   .95, .9,  .8,  .65};
constexpr std::int64_t kUtcOffsetHours[kTerritories] = {1, -5};

// ---------------------------------------------------------------------------------------------
// Sources, campaigns and funnel behaviour.

enum Persona : std::uint8_t { kOpsLeader, kHeadOfData, kNoPersona };
constexpr std::string_view kPersonaCodes[] = {"ops_leader_manufacturing", "head_of_data_saas",
                                              "none"};

struct Source {
  std::string_view code;
  double share;
  double visitor_start;  // share of contacts first seen as anonymous visitors
  // Multipliers of the base rate of each step: lead->mql, mql->sal, sal->sql, sql->opp, win.
  std::array<double, 5> rate;
};
constexpr Source kSources[] = {
    {"organic_search", .24, .16, {1.00, 1.00, 1.00, 1.00, 1.00}},
    {"paid_search", .16, .10, {1.05, 0.95, 0.95, 1.00, 0.95}},
    {"paid_social", .14, .08, {0.90, 0.72, 0.90, 0.90, 0.90}},
    {"email", .10, .02, {0.85, 1.00, 1.00, 1.00, 1.00}},
    {"events", .12, .00, {1.15, 1.05, 1.00, 1.00, 1.00}},
    {"referral", .07, .02, {1.30, 1.22, 1.15, 1.15, 1.30}},
    {"direct", .09, .18, {1.10, 1.05, 1.05, 1.00, 1.05}},
    {"partner", .08, .00, {1.10, 1.10, 1.10, 1.10, 1.15}},
};
enum SourceIndex : std::uint8_t {
  kOrganic,
  kPaidSearch,
  kPaidSocial,
  kEmailSource,
  kEvents,
  kReferral,
  kDirect,
  kPartner
};

// Base conversion of each step before the multipliers (calibrated so the overall rates sit in
// the middle of the bands of REFERENCE.md).
constexpr double kBaseMql = 0.33;
constexpr double kBaseSal = 0.56;
constexpr double kBaseSql = 0.60;
constexpr double kBaseOpp = 0.45;
constexpr double kBaseWin = 0.29;
// The window has one guaranteed won deal per slice of about this many days (see PlanWins).
constexpr std::int64_t kWinSliceDays = 14;
// The shortest time from a contact's creation to a deal it brings in such a slice.
constexpr std::int64_t kMinWinCycleDays = 4;
// Persona fit multipliers per step (fit, no fit).
constexpr std::array<double, 5> kFitRate = {1.30, 1.12, 1.06, 1.05, 1.10};
constexpr std::array<double, 5> kNoFitRate = {0.62, 0.78, 0.88, 0.90, 0.80};

constexpr std::string_view kOpsThemes[] = {
    "OEE dashboards in a week", "Supply chain visibility", "Predictive maintenance",
    "Production planning with live data", "Scrap and rework analytics"};
constexpr std::string_view kDataThemes[] = {"Forecasting without spreadsheets",
                                            "Data pipelines that do not break", "Self-serve BI",
                                            "A metrics layer for everyone", "Churn analytics"};
constexpr std::string_view kGenericThemes[] = {"Analytics for the mid-market",
                                               "Northwind product tour"};
constexpr std::string_view kOpsShows[] = {"Hannover Messe", "Automatica", "FABTECH",
                                          "Manufacturing Leaders Summit"};
constexpr std::string_view kDataShows[] = {"Big Data London", "Data Council", "SaaStr Europa",
                                           "Modern Data Stack Summit"};
constexpr std::string_view kPartners[] = {"Snowpeak Consulting", "Fabrik Systems Integrators",
                                          "Datalynx Partners"};

// Why reps reject new MQLs: the reason codes of the demo's contract (docs/examples/
// contract.toml), which say whether the lead is recycled or disqualified.
constexpr std::string_view kRecycleReasons[] = {"bad_timing", "early_research", "early_research",
                                                "bad_timing"};
constexpr std::string_view kFitDisqualifyReasons[] = {"no_budget", "has_solution", "too_small"};
constexpr std::string_view kNoFitDisqualifyReasons[] = {"wrong_persona",   "wrong_persona",
                                                        "invalid_contact", "competitor",
                                                        "too_small",       "invalid_contact"};
constexpr std::string_view kJunkReasons[] = {
    "student", "student", "job seeker", "personal email, no company", "invalid contact details"};
constexpr std::string_view kCompanyJunkReasons[] = {"competitor", "competitor",
                                                    "vendor pitching us", "spam / fake details"};
constexpr std::string_view kSalRecycleReasons[] = {"bad timing", "no project this year",
                                                   "went silent after discovery"};
constexpr std::string_view kSalDisqualifyReasons[] = {"no budget", "no authority",
                                                      "requirements out of scope"};
constexpr std::string_view kSqlRecycleReasons[] = {"bad timing", "project postponed",
                                                   "building in-house for now"};
constexpr std::string_view kSqlDisqualifyReasons[] = {"no budget", "chose a competitor",
                                                      "requirements out of scope"};
constexpr std::string_view kLostReasons[] = {"price too high",    "chose a competitor",
                                             "no decision",       "budget frozen",
                                             "project postponed", "lost champion"};
constexpr double kLostReasonWeights[] = {.22, .25, .28, .12, .08, .05};

constexpr std::string_view kPains[] = {"reports built by hand in spreadsheets every Monday",
                                       "no single view of plant output",
                                       "forecasts off by 20% last quarter",
                                       "data team swamped with ad-hoc requests",
                                       "three tools disagree on revenue numbers",
                                       "downtime noticed a day late"};
constexpr std::string_view kMarketingNotes[] = {
    "Attended the webinar and asked about the SAP integration.",
    "Downloaded the OEE benchmark report twice.",
    "Asked at the booth whether we support on-premise data.",
    "Replied to the newsletter asking for pricing.",
    "Came through a partner introduction; wants a short call.",
    "Visited the pricing page five times this week."};

// ---------------------------------------------------------------------------------------------
// Text helpers.

// Lower-case ASCII for an email local part or a domain label: common Latin letters with
// diacritics are transliterated, spaces, apostrophes and punctuation dropped.
std::string Slug(std::string_view text, bool keep_spaces_as_dashes) {
  static constexpr std::pair<std::string_view, std::string_view> kFold[] = {
      {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "ae"}, {"Ö", "oe"}, {"Ü", "ue"}, {"ß", "ss"},
      {"é", "e"},  {"è", "e"},  {"ê", "e"},  {"ë", "e"},  {"É", "e"},  {"á", "a"},  {"à", "a"},
      {"â", "a"},  {"å", "a"},  {"ã", "a"},  {"Á", "a"},  {"Å", "a"},  {"í", "i"},  {"ì", "i"},
      {"î", "i"},  {"ï", "i"},  {"ı", "i"},  {"İ", "i"},  {"ó", "o"},  {"ò", "o"},  {"ô", "o"},
      {"õ", "o"},  {"ø", "o"},  {"Ø", "o"},  {"Ó", "o"},  {"ú", "u"},  {"ù", "u"},  {"û", "u"},
      {"ñ", "n"},  {"ç", "c"},  {"Ç", "c"},  {"ł", "l"},  {"Ł", "l"},  {"ś", "s"},  {"Ś", "s"},
      {"ş", "s"},  {"Ş", "s"},  {"ź", "z"},  {"ż", "z"},  {"Ż", "z"},  {"ć", "c"},  {"ń", "n"},
      {"ę", "e"},  {"ą", "a"},  {"ğ", "g"},  {"Ö", "o"}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) {
        out.push_back(static_cast<char>(std::tolower(c)));
      } else if (keep_spaces_as_dashes && (c == ' ' || c == '-') && !out.empty() &&
                 out.back() != '-') {
        out.push_back('-');
      }
      ++i;
      continue;
    }
    bool folded = false;
    for (const auto& [from, to] : kFold) {
      if (text.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        folded = true;
        break;
      }
    }
    if (!folded) {
      ++i;
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) ++i;
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string Digits(Random& rng, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + rng.Below(10)));
  return out;
}

std::string Phone(Random& rng, const Country& country) {
  std::string p(country.phone_prefix);
  if (country.code == "US" || country.code == "CA") {
    static constexpr std::string_view kUs[] = {"212", "312", "415", "617", "646", "713", "206",
                                               "303", "404", "512", "602", "614", "216", "414"};
    static constexpr std::string_view kCa[] = {"416", "604", "514", "403", "613", "204"};
    // 555-0100 .. 555-0199 are reserved for fiction.
    return p + " " + std::string(rng.Pick(country.code == "US" ? Words(kUs) : Words(kCa))) +
           "-555-01" + Digits(rng, 2);
  }
  if (country.code == "GB") return p + " 20 7946 0" + Digits(rng, 3);  // Ofcom drama range
  return p + " " + std::to_string(rng.Between(20, 89)) + " " + Digits(rng, 3) + " " +
         Digits(rng, 4);
}

std::string QuarterLabel(Instant t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  const int q = (static_cast<int>(static_cast<unsigned>(ymd.month())) - 1) / 3 + 1;
  return std::to_string(static_cast<int>(ymd.year())) + "-Q" + std::to_string(q);
}

int QuarterIndex(Instant t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  return static_cast<int>(ymd.year()) * 4 +
         (static_cast<int>(static_cast<unsigned>(ymd.month())) - 1) / 3;
}

std::string Thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

// ---------------------------------------------------------------------------------------------
// The staff.

struct StaffMember {
  std::string_view first, last;
  Role role;
  int team;  // index into kTeams
  // Sales reps: median hours to the first touch of a new MQL, and how readily they accept.
  double response_hours = 0;
  double accept = 1.0;
};

struct TeamSpec {
  std::string_view name;
  core::TeamFunction function;
  std::string_view region;
};
constexpr TeamSpec kTeams[] = {
    {"Revenue Leadership", core::TeamFunction::kRevenue, ""},
    {"Marketing", core::TeamFunction::kMarketing, ""},
    {"Sales EMEA", core::TeamFunction::kSales, "EMEA"},
    {"Sales North America", core::TeamFunction::kSales, "North America"}};
constexpr int kSalesTeamOf[kTerritories] = {2, 3};

// The first member of each team is its manager.
constexpr StaffMember kStaff[] = {
    {"Sam", "Okafor", Role::kAdmin, 0},
    {"Helena", "Lindqvist", Role::kManager, 0},
    {"Claire", "Dubois", Role::kMarketing, 1},
    {"Noah", "Fischer", Role::kMarketing, 1},
    {"Aisha", "Khan", Role::kMarketing, 1},
    {"Katrin", "Vogel", Role::kManager, 2},
    {"Lukas", "Becker", Role::kSales, 2, 2.0, 1.05},
    {"Chloé", "Martin", Role::kSales, 2, 4.0, 1.00},
    {"Tom", "Hughes", Role::kSales, 2, 20.0, 0.86},  // slow to respond, accepts less
    {"Marcus", "Reed", Role::kManager, 3},
    {"Jasmine", "Carter", Role::kSales, 3, 1.2, 1.06},
    {"Diego", "Alvarez", Role::kSales, 3, 3.0, 1.00},
    {"Emily", "Chen", Role::kSales, 3, 6.0, 0.95},
};
constexpr int kManagerOfTeam[] = {1, 2, 5, 9};

struct Person {
  Id id = 0;
  std::string email;
  std::string name;
  const StaffMember* spec = nullptr;
  Actor actor() const { return Actor::User(id, email); }
};

// ---------------------------------------------------------------------------------------------
// The generator: contacts one by one in creation order, each with its whole life.

struct CompanyState {
  Id id = 0;  // 0 until written
  std::string name;
  std::string domain;
  std::uint8_t country = 0;
  Segment segment = kOther;
  std::int64_t employees = 0;
  int last_owner = -1;  // index into people of the rep last given a contact of the company
};

struct ContactPlan {
  Contact contact;
  int company = -1;                    // index into the company states, -1 for none
  std::optional<Company> new_company;  // set on the contact that brings the company in
  std::vector<StageChange> history;
  std::optional<Deal> deal;
  std::vector<Activity> activities;  // contact_id, and deal_id when `deal_activity`, set later
  std::vector<bool> deal_activity;
  std::vector<core::Event> events;  // in time order; contact_id set later
  std::string anonymous_id;         // the visitor id of a contact first seen anonymously
};

// The UTM tags a source's links carry (direct traffic has none).
struct Utm {
  std::string_view source;
  std::string_view medium;
};
constexpr Utm kUtmOf[] = {
    {"google", "organic"},
    {"google", "cpc"},
    {"linkedin", "paid_social"},
    {"newsletter", "email"},
    {"event", "offline"},
    {"referral", "referral"},
    {"", ""},
    {"partner", "partner"},
};
constexpr std::string_view kPages[] = {"/",     "/product",      "/pricing", "/customers",
                                       "/blog", "/integrations", "/security"};
constexpr std::string_view kAssets[] = {"forecasting-guide.pdf", "plant-data-checklist.pdf",
                                        "metrics-that-matter.pdf", "roi-calculator.xlsx"};

class Generator {
 public:
  Generator(const DemoSettings& s, const std::vector<Person>& people)
      : s_(s), rng_(s.seed), people_(people), now_(core::ToMillis(s.now)) {
    for (int t = 0; t < kTerritories; ++t) {
      for (std::size_t i = 0; i < people_.size(); ++i) {
        if (people_[i].spec->role == Role::kSales && people_[i].spec->team == kSalesTeamOf[t]) {
          reps_[t].push_back(static_cast<int>(i));
        }
      }
    }
    for (std::size_t i = 0; i < people_.size(); ++i) {
      if (people_[i].spec->role == Role::kMarketing) marketers_.push_back(static_cast<int>(i));
    }
    // About one company per six contacts; past ~350,000 contacts companies grow more slowly
    // (75,000 at a million) so that the names generated stay varied.
    const double companies = std::min<double>(s.contacts / 6.0, 50'000.0 + s.contacts / 40.0);
    new_company_chance_ = s.contacts > 0 ? companies / s.contacts : 0;
    PlanDays();
    PlanWins();
    taken_emails_.reserve(static_cast<std::size_t>(std::min<std::int64_t>(s.contacts, 4'000'000)));
  }

  // Appends the next `n` contacts (fewer at the end) to `out`.
  void Next(std::int64_t n, std::vector<ContactPlan>& out) {
    while (n > 0 && produced_ < s_.contacts) {
      while (day_next_ >= day_arrivals_.size()) FillDay();
      const Arrival a = day_arrivals_[day_next_++];
      out.push_back(Plan(a));
      ++produced_;
      --n;
    }
  }

  std::vector<CompanyState>& companies() { return companies_; }

 private:
  struct Arrival {
    std::int64_t at;
    Territory territory;
    bool operator<(const Arrival& o) const { return at < o.at; }
  };

  // Splits the contacts over calendar days: weekday peaks, weekend dips, a mild upward trend.
  void PlanDays() {
    const std::int64_t start = now_ - s_.days * kDay;
    std::vector<double> weights;
    for (std::int64_t lo = start; lo < now_;) {
      const std::int64_t hi = std::min(now_, (lo / kDay + 1) * kDay);
      const std::chrono::weekday wd{std::chrono::floor<std::chrono::days>(core::FromMillis(lo))};
      static constexpr double kWeekday[7] = {0.70, 1.00, 1.08, 1.10, 1.06, 0.92, 0.72};  // Sun..
      const double progress = static_cast<double>((lo + hi) / 2 - start) / (now_ - start);
      weights.push_back(kWeekday[wd.c_encoding()] * (0.85 + 0.30 * progress) *
                        static_cast<double>(hi - lo) / kDay);
      day_bounds_.push_back({lo, hi});
      lo = hi;
    }
    double total = 0;
    for (double w : weights) total += w;
    std::vector<std::pair<double, std::size_t>> remainders;
    std::int64_t assigned = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const double exact = s_.contacts * weights[i] / total;
      day_counts_.push_back(static_cast<std::int64_t>(exact));
      assigned += day_counts_.back();
      remainders.push_back({exact - std::floor(exact), i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; assigned < s_.contacts; ++i, ++assigned) {
      ++day_counts_[remainders[i % remainders.size()].second];
    }
  }

  // A company that has been selling for a while closes deals all the time, whereas contacts
  // created inside the window would close their first deals only weeks in (a cycle of about two
  // months from first touch), and a short or small demo could then have none at all. So the
  // window is cut into slices of about kWinSliceDays days and each slice gets one deal won in
  // it: a close time in its second half, taken by the first contact at a company arriving
  // between 14 and 42 days (fewer near the start of the window, at least kMinWinCycleDays)
  // before it, whose path then runs straight to the win (LiveToWin). When no contact arrives in
  // time, a later one takes the slice if the close can still fall inside it. Close times and
  // cycles come from a generator of their own, so the rest of the company does not change.
  void PlanWins() {
    const std::int64_t start = now_ - s_.days * kDay;
    const std::int64_t n = std::max<std::int64_t>(1, s_.days / kWinSliceDays);
    const std::int64_t len = (now_ - start) / n;
    Random r(s_.seed * 0xD1B54A32D192ED03ULL + 0x5EED);
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t lo = start + i * len;
      const std::int64_t hi = i + 1 == n ? now_ : lo + len;
      // Room for moving the close into working hours (at most ~2.6 days) before the slice ends.
      const std::int64_t latest = hi - std::min<std::int64_t>(3 * kDay, (hi - lo) / 4);
      const std::int64_t earliest = lo + (hi - lo) / 2;
      const std::int64_t close = earliest + r.Below(std::max<std::int64_t>(1, latest - earliest));
      const std::int64_t cycle = r.Between(14, 42) * kDay;
      const std::int64_t min_cycle =
          std::min<std::int64_t>(kMinWinCycleDays * kDay, (close - start) / 2);
      wins_.push_back({std::max(start, close - cycle), close - min_cycle, close, latest});
    }
  }

  // The close time of the won deal a contact created at `created` (at a company) is to bring,
  // if it is the one a slice waits for.
  std::optional<std::int64_t> TakeWin(std::int64_t created) {
    while (win_next_ < wins_.size()) {
      const WinSlot& w = wins_[win_next_];
      if (created < w.from) return std::nullopt;
      ++win_next_;
      if (created <= w.until) return w.close;
      // Late for the planned close: close as quickly later in the slice, if it still fits.
      const std::int64_t close = created + (w.close - w.until);
      if (close <= w.latest) return close;
    }
    return std::nullopt;
  }

  void FillDay() {
    day_arrivals_.clear();
    day_next_ = 0;
    const auto [lo, hi] = day_bounds_[day_];
    for (std::int64_t i = 0; i < day_counts_[day_]; ++i) {
      const Territory t = rng_.Chance(0.55) ? kEmea : kNorthAmerica;
      const double* hours = t == kEmea ? kEmeaHours : kNaHours;
      std::int64_t at = lo;
      for (;;) {
        at = lo + static_cast<std::int64_t>(rng_.Uniform() * static_cast<double>(hi - lo));
        if (rng_.Uniform() < hours[(at % kDay) / kHour]) break;
      }
      day_arrivals_.push_back({at, t});
    }
    std::stable_sort(day_arrivals_.begin(), day_arrivals_.end());
    ++day_;
  }

  // Moves `t` to working hours of the territory (Monday to Friday, 8:00 to 18:00 local time),
  // where a rep would act.
  std::int64_t WorkTime(std::int64_t t, Territory territory) {
    const std::int64_t offset = kUtcOffsetHours[territory] * kHour;
    std::int64_t local = t + offset;
    for (int guard = 0; guard < 8; ++guard) {
      const std::chrono::weekday wd{std::chrono::floor<std::chrono::days>(core::FromMillis(local))};
      const std::int64_t in_day = ((local % kDay) + kDay) % kDay;
      const bool weekend = wd.c_encoding() == 0 || wd.c_encoding() == 6;
      if (!weekend && in_day >= 8 * kHour && in_day < 18 * kHour) break;
      // Work left overnight is picked up through the next working day, mostly in the morning.
      const std::int64_t pickup = std::min<std::int64_t>(
          static_cast<std::int64_t>(rng_.Exponential(2.5) * static_cast<double>(kHour)), 9 * kHour);
      local = local - in_day + (!weekend && in_day < 8 * kHour ? 0 : kDay) + 8 * kHour + pickup;
    }
    return local - offset;
  }

  std::int64_t Delay(double median_hours, double sigma) {
    return std::max<std::int64_t>(kMinute,
                                  static_cast<std::int64_t>(rng_.LogNormal(median_hours, sigma) *
                                                            static_cast<double>(kHour)));
  }

  // first.last@domain, with a counter from the second person of that name at that domain.
  // Counters are keyed by a 64-bit hash of the address: a hash collision would only add a
  // needless counter, never a duplicate, since the names themselves differ.
  std::string UniqueEmail(std::string_view first, std::string_view last, std::string_view domain) {
    std::string local = Slug(first, false) + "." + Slug(last, false);
    std::uint64_t key = 14695981039346656037ull;  // FNV-1a
    for (std::string_view part : {std::string_view(local), std::string_view("@"), domain}) {
      for (unsigned char ch : part) key = (key ^ ch) * 1099511628211ull;
    }
    const std::uint32_t n = ++taken_emails_[key];
    if (n > 1) local += std::to_string(n);
    return local + "@" + std::string(domain);
  }

  // A traditional firm's name: "Kessler Maschinenbau", "Augsburg Maschinenbau",
  // "Kessler & Brandt [Maschinenbau]", "Kessler Maschinenbau Augsburg".
  std::string FirmName(Words descriptors, const Country& country) {
    const std::string_view desc = rng_.Pick(descriptors);
    const double pattern = rng_.Uniform();
    if (pattern < 0.35) return std::string(rng_.Pick(kStems)) + " " + std::string(desc);
    if (pattern < 0.50) return std::string(rng_.Pick(country.cities)) + " " + std::string(desc);
    if (pattern < 0.70) {
      const std::string_view a = rng_.Pick(kStems);
      std::string_view b = rng_.Pick(kStems);
      while (b == a) b = rng_.Pick(kStems);
      return std::string(a) + " & " + std::string(b) +
             (rng_.Chance(0.5) ? " " + std::string(desc) : std::string());
    }
    return std::string(rng_.Pick(kStems)) + " " + std::string(desc) + " " +
           std::string(rng_.Pick(country.cities));
  }

  // A new company of `segment` in `territory`.
  Company NewCompany(Territory territory, Segment segment, Instant at, CompanyState& state) {
    std::vector<double> weights;
    std::vector<std::uint8_t> ids;
    for (std::size_t i = 0; i < kCountryCount; ++i) {
      if (kCountries[i].territory == territory) {
        weights.push_back(kCountries[i].weight);
        ids.push_back(static_cast<std::uint8_t>(i));
      }
    }
    state.country = ids[rng_.Weighted(weights)];
    const Country& country = kCountries[state.country];
    state.segment = segment;
    Company c;
    std::string base, detail;
    std::string industry;
    for (int attempt = 0;; ++attempt) {
      if (segment == kManufacturing) {
        industry = "Manufacturing";
        detail = rng_.Pick(kMfgDetails);
        base = FirmName(kMfgDescriptors[country.language], country);
      } else if (segment == kSaas) {
        industry = "Software";
        detail = rng_.Pick(kSaasDetails);
        const double pattern = rng_.Uniform();
        if (pattern < 0.4) {
          base = std::string(rng_.Pick(kSaasPrefixes)) + std::string(rng_.Pick(kSaasSuffixes));
        } else if (pattern < 0.7) {
          base = std::string(rng_.Pick(kSaasAdjectives)) + " " + std::string(rng_.Pick(kSaasNouns));
        } else {
          base = std::string(rng_.Pick(kSaasPrefixes)) + std::string(rng_.Pick(kSaasNouns));
        }
        base += rng_.Pick(kSaasTails);
      } else {
        const OtherIndustry& other = rng_.PickOf(std::span<const OtherIndustry>(kOtherIndustries));
        industry = other.industry;
        detail = rng_.Pick(other.details);
        base = FirmName(other.descriptors, country);
      }
      std::string domain = Slug(base, true);
      if (attempt >= 12) domain += "-" + std::to_string(attempt - 10);
      domain += ".example";
      if (taken_domains_.insert(domain).second) {
        c.domain = std::move(domain);
        break;
      }
    }
    const bool legal = segment != kSaas || rng_.Chance(0.5);
    c.name = legal ? base + " " + std::string(rng_.Pick(country.legal_forms)) : base;
    state.name = c.name;
    state.domain = c.domain;
    c.industry = std::move(industry);
    double employees = 0;
    switch (segment) {
      case kManufacturing: employees = std::clamp(rng_.LogNormal(550, 0.6), 120.0, 4000.0); break;
      case kSaas: employees = std::clamp(rng_.LogNormal(180, 0.7), 30.0, 1500.0); break;
      default: employees = std::clamp(rng_.LogNormal(300, 1.3), 5.0, 50000.0); break;
    }
    state.employees = employees < 100 ? static_cast<std::int64_t>(employees)
                                      : static_cast<std::int64_t>(employees / 10) * 10;
    c.employees = state.employees;
    c.country = std::string(country.code);
    c.custom["sub_industry"] = detail;
    c.created_at = c.updated_at = at;
    return c;
  }

  int PickOwner(Territory t, int company) {
    auto& reps = reps_[t];
    if (company >= 0 && companies_[company].last_owner >= 0 && rng_.Chance(0.6)) {
      return companies_[company].last_owner;
    }
    int rep;
    if (rng_.Chance(0.15)) {
      rep = reps[static_cast<std::size_t>(rng_.Below(static_cast<std::int64_t>(reps.size())))];
    } else {
      rep = reps[round_robin_[t]++ % reps.size()];
    }
    if (company >= 0) companies_[company].last_owner = rep;
    return rep;
  }

  std::string Campaign(SourceIndex source, Persona persona, Instant at) {
    const int q = QuarterIndex(at);
    const std::string label = QuarterLabel(at);
    auto theme = [&]() -> std::string_view {
      Words family = persona == kOpsLeader    ? Words(kOpsThemes)
                     : persona == kHeadOfData ? Words(kDataThemes)
                     : rng_.Chance(0.5)       ? Words(kOpsThemes)
                                              : Words(kDataThemes);
      if (rng_.Chance(0.15)) return rng_.Pick(kGenericThemes);
      // Two themes of the family run each quarter, rotating.
      return family[static_cast<std::size_t>(q + rng_.Below(2)) % family.size()];
    };
    switch (source) {
      case kPaidSearch: return label + " Google Ads: " + std::string(theme());
      case kPaidSocial: return label + " LinkedIn Ads: " + std::string(theme());
      case kEmailSource:
        return rng_.Chance(0.4) ? label + " Newsletter"
                                : label + " Nurture: " + std::string(theme());
      case kEvents: {
        if (rng_.Chance(0.6)) return label + " Webinar: " + std::string(theme());
        Words shows = persona == kHeadOfData ? Words(kDataShows) : Words(kOpsShows);
        return label +
               " Trade show: " + std::string(shows[static_cast<std::size_t>(q) % shows.size()]);
      }
      case kReferral: return label.substr(0, 4) + " Customer referral program";
      case kPartner:
        return label +
               " Partner: " + std::string(kPartners[static_cast<std::size_t>(rng_.Below(3))]) +
               " co-marketing";
      default: return {};
    }
  }

  void AddActivity(ContactPlan& p, ActivityType type, int owner, std::int64_t at,
                   std::string subject, std::string outcome, std::string body,
                   std::optional<std::int64_t> minutes, bool on_deal) {
    Activity a;
    a.type = type;
    a.owner_id = people_[static_cast<std::size_t>(owner)].id;
    a.occurred_at = core::FromMillis(at);
    a.subject = std::move(subject);
    a.outcome = std::move(outcome);
    a.body = std::move(body);
    a.duration_minutes = minutes;
    a.created_at = a.updated_at = a.occurred_at;
    p.activities.push_back(std::move(a));
    p.deal_activity.push_back(on_deal);
  }

  struct Path {
    ContactPlan& plan;
    Stage stage;
    std::int64_t at;
  };

  void Move(Path& path, Stage to, std::int64_t at, const Actor& actor, std::string_view cause,
            std::string_view reason = {}) {
    StageChange ch;
    if (!path.plan.history.empty()) ch.from = path.stage;
    ch.to = to;
    ch.at = core::FromMillis(at);
    ch.actor = actor;
    ch.cause = std::string(cause);
    ch.reason = std::string(reason);
    path.plan.history.push_back(std::move(ch));
    path.stage = to;
    path.at = at;
  }

  ContactPlan Plan(const Arrival& arrival) {
    ContactPlan p;
    Contact& c = p.contact;
    const Territory territory = arrival.territory;
    const std::int64_t created = arrival.at;

    // Where the person works, and who they are.
    const double seg_roll = rng_.Uniform();
    const bool freemail = seg_roll < 0.06;
    const Segment segment = seg_roll < 0.44 ? kManufacturing : seg_roll < 0.80 ? kSaas : kOther;
    std::uint8_t country_index = 0;
    std::string_view domain;
    if (freemail) {
      std::vector<double> weights;
      std::vector<std::uint8_t> ids;
      for (std::size_t i = 0; i < kCountryCount; ++i) {
        if (kCountries[i].territory == territory) {
          weights.push_back(kCountries[i].weight);
          ids.push_back(static_cast<std::uint8_t>(i));
        }
      }
      country_index = ids[rng_.Weighted(weights)];
      const auto d = static_cast<std::size_t>(rng_.Below(std::ssize(kFreemailDomains)));
      domain = kFreemailDomains[d];
    } else {
      auto& pool = pools_[territory][segment];
      if (pool.empty() || rng_.Chance(new_company_chance_)) {
        CompanyState state;
        p.new_company = NewCompany(territory, segment, core::FromMillis(created), state);
        p.company = static_cast<int>(companies_.size());
        companies_.push_back(state);
        pool.push_back(p.company);
      } else {
        p.company = pool[static_cast<std::size_t>(rng_.Below(std::ssize(pool)))];
      }
      const CompanyState& cs = companies_[static_cast<std::size_t>(p.company)];
      country_index = cs.country;
      domain = cs.domain;
    }
    const Country& country = kCountries[country_index];

    std::vector<double> name_weights;
    for (const auto& [g, w] : country.names) name_weights.push_back(w);
    const NameGroup group = country.names[rng_.Weighted(name_weights)].first;
    const auto first = static_cast<std::size_t>(rng_.Below(std::ssize(kNames[group].first)));
    const auto last = static_cast<std::size_t>(rng_.Below(std::ssize(kNames[group].last)));
    c.first_name = kNames[group].first[first];
    c.last_name = kNames[group].last[last];
    c.country = std::string(country.code);
    c.phone = rng_.Chance(0.7) ? Phone(rng_, country) : std::string();

    Persona persona = kNoPersona;
    if (freemail) {
      c.title = rng_.Pick(kFreemailTitles);
    } else if (segment == kManufacturing) {
      const bool fit =
          companies_[static_cast<std::size_t>(p.company)].employees >= 150 && rng_.Chance(0.68);
      persona = fit ? kOpsLeader : kNoPersona;
      c.title = fit ? rng_.Pick(kOpsTitles) : rng_.Pick(kMfgOtherTitles);
    } else if (segment == kSaas) {
      const bool fit = rng_.Chance(0.64);
      persona = fit ? kHeadOfData : kNoPersona;
      c.title = fit ? rng_.Pick(kDataTitles) : rng_.Pick(kSaasOtherTitles);
    } else {
      c.title = rng_.Pick(kOtherTitles);
    }
    c.custom["persona"] = std::string(kPersonaCodes[persona]);

    std::vector<double> source_weights;
    for (const auto& src : kSources) source_weights.push_back(src.share);
    const auto source = static_cast<SourceIndex>(rng_.Weighted(source_weights));
    c.source = std::string(kSources[source].code);
    c.campaign = Campaign(source, persona, core::FromMillis(created));
    c.created_at = core::FromMillis(created);

    c.email = UniqueEmail(c.first_name, c.last_name, domain);

    // A contact at a company may be the one that closes a slice's won deal (see PlanWins).
    if (const auto won_at = freemail ? std::nullopt : TakeWin(created)) {
      LiveToWin(p, territory, source, persona, created, *won_at);
    } else {
      Live(p, territory, source, persona, freemail, created);
    }

    c.stage = p.history.back().to;
    c.stage_entered_at = p.history.back().at;
    c.updated_at = c.stage_entered_at;
    Track(p, source);
    return p;
  }

  // The contact's tracked events, told by its history: what it did before each move it made
  // (see demo.hpp). From a generator of its own per contact, so the rest of the company does not
  // depend on them.
  void Track(ContactPlan& p, SourceIndex source) {
    Random r(s_.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(produced_) + 1);
    const Utm utm = kUtmOf[source];
    const std::string& campaign = p.contact.campaign;
    const auto& h = p.history;
    const std::int64_t created = core::ToMillis(h.front().at);
    int n = 0;
    auto add = [&](std::string_view type, std::int64_t at, bool anonymous, bool tagged,
                   std::string properties) {
      core::Event e;
      e.event_id = "demo-" + std::to_string(produced_) + "-" + std::to_string(n++);
      e.type = std::string(type);
      e.occurred_at = e.received_at = core::FromMillis(std::clamp(at, created, now_));
      if (anonymous) {
        e.anonymous_id = p.anonymous_id;
      } else {
        e.email = p.contact.email;
      }
      if (tagged) {
        e.utm_source = std::string(utm.source);
        e.utm_medium = std::string(utm.medium);
        e.utm_campaign = campaign;
      }
      e.properties = std::move(properties);
      p.events.push_back(std::move(e));
    };
    auto page = [&](std::int64_t at, bool anonymous, bool tagged) {
      add("page_view", at, anonymous, tagged,
          R"({"path":")" + std::string(r.Pick(kPages)) + R"("})");
    };
    // A time in [from, to), at most `span` after `from`.
    auto within = [&](std::int64_t from, std::int64_t to, std::int64_t span) {
      const std::int64_t end = std::min(to, from + span);
      return end <= from ? from : from + r.Below(end - from);
    };
    for (std::size_t i = 0; i < h.size(); ++i) {
      const std::int64_t at = core::ToMillis(h[i].at);
      const std::int64_t prev = i == 0 ? created : core::ToMillis(h[i - 1].at);
      const std::int64_t next = i + 1 < h.size() ? core::ToMillis(h[i + 1].at) : now_ + 1;
      switch (h[i].to) {
        case Stage::kVisitor: {
          // An anonymous visitor, identified when it later fills in a form.
          p.anonymous_id =
              "demo-visitor-" + std::to_string(s_.seed) + "-" + std::to_string(produced_);
          page(at, true, true);
          for (int k = static_cast<int>(r.Between(1, 4)); k > 0; --k) {
            page(within(at, next, 3 * kDay), true, false);
          }
          break;
        }
        case Stage::kLead: {
          // What made the person a lead, at the moment it became one.
          if (source == kEvents) {
            add("webinar", at, false, true, R"({"attended":true})");
          } else if (source == kOrganic || source == kPaidSearch) {
            add("content_download", at, false, true,
                R"({"asset":")" + std::string(r.Pick(kAssets)) + R"("})");
          } else {
            add("form_submit", at, false, true, R"({"form":"contact-us"})");
          }
          // Nurture until the next move: opens, a click, a few pages (under 40 points, so a
          // lead the rule did not qualify does not qualify on the demo's scores either).
          for (int k = static_cast<int>(r.Between(0, 4)); k > 0; --k) {
            const std::int64_t t = within(at + kHour, next, 45 * kDay);
            if (t >= next) continue;
            add("email_open", t, false, false, R"({"email":"nurture"})");
            if (k == 1 && r.Chance(0.4) && t + 2 * kMinute < next) {
              add("email_click", t + 2 * kMinute, false, false, R"({"email":"nurture"})");
            }
          }
          for (int k = static_cast<int>(r.Below(3)); k > 0; --k) {
            const std::int64_t t = within(at + kHour, next, 45 * kDay);
            if (t < next) page(t, false, false);
          }
          break;
        }
        case Stage::kMql: {
          // The evidence the rule saw: content in the days before, then a demo request.
          const std::int64_t start = std::max(prev + 1, at - 3 * kDay);
          if (r.Chance(0.6)) {
            add(source == kEvents ? "webinar" : "content_download", within(start, at, 3 * kDay),
                false, true, R"({"asset":")" + std::string(r.Pick(kAssets)) + R"("})");
          }
          add("demo_request", std::max(prev + 1, at - r.Between(1, 30) * kMinute), false, true,
              R"({"form":"demo"})");
          break;
        }
        case Stage::kSal:
        case Stage::kSql:
        case Stage::kOpportunity: {
          // Sales is talking to them: the pricing page, now and then.
          if (r.Chance(0.5)) {
            const std::int64_t t = within(at + kHour, next, 10 * kDay);
            if (t < next) add("page_view", t, false, false, R"({"path":"/pricing"})");
          }
          break;
        }
        case Stage::kRecycled:
        case Stage::kDisqualified:
        case Stage::kCustomer: break;
      }
    }
    std::stable_sort(
        p.events.begin(), p.events.end(),
        [](const core::Event& a, const core::Event& b) { return a.occurred_at < b.occurred_at; });
  }

  // The contact's lifecycle from `created` until it ends or time runs out.
  void Live(ContactPlan& p, Territory territory, SourceIndex source, Persona persona, bool freemail,
            std::int64_t created) {
    const Actor system = Actor::System("demo");
    const auto& rate = kSources[source].rate;
    const auto& fit = persona == kNoPersona ? kNoFitRate : kFitRate;
    Path path{p, Stage::kLead, created};
    const std::string_view first_name = p.contact.first_name;

    // visitor -> lead
    if (rng_.Chance(kSources[source].visitor_start)) {
      Move(path, Stage::kVisitor, created, system, "created");
      if (rng_.Chance(0.85)) {
        const std::int64_t at =
            created + static_cast<std::int64_t>(rng_.Exponential(2.0) * static_cast<double>(kDay));
        if (at > now_) return;
        Move(path, Stage::kLead, at, system, "form_submit");
      } else {
        return;
      }
    } else {
      Move(path, Stage::kLead, created, system, "created");
    }

    const int marketer = marketers_[static_cast<std::size_t>(rng_.Below(std::ssize(marketers_)))];
    if (rng_.Chance(0.04)) {
      const std::int64_t at = path.at + Delay(20, 1.0);
      if (at <= now_) {
        AddActivity(p, ActivityType::kNote, marketer, at, "Marketing note", "",
                    std::string(rng_.Pick(kMarketingNotes)), std::nullopt, false);
      }
    }

    // Junk leads that marketing weeds out before scoring.
    const double junk = freemail ? 0.45 : persona == kNoPersona ? 0.03 : 0.01;
    if (rng_.Chance(junk)) {
      const std::int64_t at = WorkTime(path.at + Delay(26, 0.8), territory);
      if (at > now_) return;
      Move(path, Stage::kDisqualified, at, people_[static_cast<std::size_t>(marketer)].actor(),
           "manual", rng_.Pick(freemail ? Words(kJunkReasons) : Words(kCompanyJunkReasons)));
      return;
    }

    double p_mql = kBaseMql * rate[0] * fit[0] * (freemail ? 0.2 : 1.0);
    std::int64_t mql_at = path.at + Delay(source == kEvents ? 40 : 100, 1.0);
    int owner = -1;
    int company = p.company;
    for (int round = 0; round < 2; ++round) {
      if (!rng_.Chance(p_mql) || mql_at > now_) return;
      Move(path, Stage::kMql, mql_at, system, "mql_rule");
      if (owner < 0) {
        owner = PickOwner(territory, company);
        p.contact.owner_id = people_[static_cast<std::size_t>(owner)].id;
      }
      const Person& rep = people_[static_cast<std::size_t>(owner)];
      const StaffMember& spec = *rep.spec;

      // The rep's attempts to reach the new MQL, then accept or reject.
      const bool accept_roll = rng_.Uniform() < kBaseSal * rate[1] * fit[1] * spec.accept *
                                                    (spec.response_hours <= 2   ? 1.04
                                                     : spec.response_hours > 12 ? 0.92
                                                                                : 1.0);
      const int attempts = 1 + static_cast<int>(rng_.Weighted(std::array{0.5, 0.3, 0.2}));
      std::int64_t t = WorkTime(path.at + Delay(spec.response_hours, 0.8), territory);
      for (int i = 0; i < attempts; ++i) {
        if (i > 0) t = WorkTime(t + Delay(22, 0.5), territory);
        if (t > now_) return;
        const bool last = i + 1 == attempts;
        const bool call = rng_.Chance(0.6);
        if (call) {
          const bool voicemail = rng_.Chance(0.4);
          AddActivity(p, ActivityType::kCall, owner, t, i == 0 ? "Intro call" : "Follow-up call",
                      last        ? "connected"
                      : voicemail ? "left_voicemail"
                                  : "no_answer",
                      last ? (accept_roll ? "Spoke with " + std::string(first_name) +
                                                "; interested, booked a discovery meeting."
                                          : "Spoke with " + std::string(first_name) +
                                                "; not a fit right now.")
                           : std::string(),
                      last        ? std::optional<std::int64_t>(rng_.Between(6, 25))
                      : voicemail ? std::optional<std::int64_t>(1)
                                  : std::nullopt,
                      false);
        } else {
          AddActivity(p, ActivityType::kEmail, owner, t,
                      i == 0 ? "Following up on your interest in Northwind" : "Quick follow-up",
                      last ? "replied" : "sent", {}, std::nullopt, false);
        }
      }
      const std::int64_t decided = WorkTime(t + Delay(1.5, 0.7), territory);
      if (decided > now_) return;
      if (!accept_roll) {
        Reject(
            path, decided, rep, persona, source, kRecycleReasons,
            persona == kNoPersona ? Words(kNoFitDisqualifyReasons) : Words(kFitDisqualifyReasons),
            persona == kNoPersona ? 0.6 : 0.3, "rejected");
        if (path.stage == Stage::kDisqualified || !rng_.Chance(0.12)) return;
        // Back from nurture: qualifies again weeks later.
        p_mql = 1.0;
        mql_at = path.at + static_cast<std::int64_t>((30 + rng_.Exponential(40)) * kDay);
        continue;
      }
      Move(path, Stage::kSal, decided, rep.actor(), "accepted");
      Qualify(p, path, territory, source, persona, owner, rate, fit);
      return;
    }
  }

  // A contact whose path runs straight to a deal won at `close` (see PlanWins): created as a
  // lead, qualified by the rule, accepted and qualified by its rep, then the deal, each step at
  // a share of the time to the close (in working hours where that still comes before it).
  void LiveToWin(ContactPlan& p, Territory territory, SourceIndex source, Persona persona,
                 std::int64_t created, std::int64_t close) {
    const Actor system = Actor::System("demo");
    const auto& rate = kSources[source].rate;
    const auto& fit = persona == kNoPersona ? kNoFitRate : kFitRate;
    if (const std::int64_t w = WorkTime(close, territory); w <= now_) close = w;
    const std::int64_t span = close - created;
    auto step = [&](double share, std::int64_t after) {
      std::int64_t t = created + static_cast<std::int64_t>(share * static_cast<double>(span));
      if (const std::int64_t w = WorkTime(t, territory); w < close) t = w;
      return std::max(t, after + kMinute);
    };
    Path path{p, Stage::kLead, created};
    Move(path, Stage::kLead, created, system, "created");
    const std::int64_t mql_at = std::max(created + kMinute, created + span / 16);
    Move(path, Stage::kMql, mql_at, system, "mql_rule");
    const int owner = PickOwner(territory, p.company);
    const Person& rep = people_[static_cast<std::size_t>(owner)];
    p.contact.owner_id = rep.id;
    const std::int64_t call = step(0.10, mql_at);
    AddActivity(p, ActivityType::kCall, owner, call, "Intro call", "connected",
                "Spoke with " + p.contact.first_name + "; interested, booked a discovery meeting.",
                rng_.Between(6, 25), false);
    const std::int64_t accepted = step(0.12, call);
    Move(path, Stage::kSal, accepted, rep.actor(), "accepted");
    const std::int64_t meeting = step(0.25, accepted);
    AddActivity(p, ActivityType::kMeeting, owner, meeting, "Discovery meeting", "held",
                "Pain: " + std::string(rng_.Pick(kPains)) + ".", rng_.Chance(0.5) ? 30 : 45, false);
    const std::int64_t qualified = step(0.32, meeting);
    Move(path, Stage::kSql, qualified, rep.actor(), "qualified");
    OpenDeal(p, path, territory, persona, owner, rate, fit, step(0.45, qualified), close);
  }

  void Reject(Path& path, std::int64_t at, const Person& rep, Persona persona, SourceIndex source,
              Words recycle, Words disqualify, double disqualify_share, std::string_view cause) {
    if (source == kPaidSocial && persona == kNoPersona) disqualify_share += 0.15;
    if (rng_.Chance(disqualify_share)) {
      Move(path, Stage::kDisqualified, at, rep.actor(), cause, rng_.Pick(disqualify));
    } else {
      Move(path, Stage::kRecycled, at, rep.actor(), cause, rng_.Pick(recycle));
    }
  }

  // sal -> sql -> opportunity -> customer, with the deal.
  void Qualify(ContactPlan& p, Path& path, Territory territory, SourceIndex source, Persona persona,
               int owner, const std::array<double, 5>& rate, const std::array<double, 5>& fit) {
    const Person& rep = people_[static_cast<std::size_t>(owner)];
    const std::int64_t decided = WorkTime(path.at + Delay(5 * 24, 0.7), territory);
    const bool qualified = rng_.Chance(kBaseSql * rate[2] * fit[2]);
    const std::int64_t meeting =
        WorkTime(path.at + static_cast<std::int64_t>((decided - path.at) * 0.4), territory);
    if (meeting <= now_ && meeting <= decided) {
      AddActivity(p, ActivityType::kMeeting, owner, meeting, "Discovery meeting", "held",
                  "Pain: " + std::string(rng_.Pick(kPains)) + ".", rng_.Chance(0.5) ? 30 : 45,
                  false);
    }
    if (decided > now_) return;
    if (!qualified) {
      Reject(path, decided, rep, persona, source, kSalRecycleReasons, kSalDisqualifyReasons, 0.4,
             "not_qualified");
      return;
    }
    Move(path, Stage::kSql, decided, rep.actor(), "qualified");

    const std::int64_t opp_at = WorkTime(path.at + Delay(8 * 24, 0.7), territory);
    if (opp_at > now_) return;
    if (!rng_.Chance(kBaseOpp * rate[3] * fit[3])) {
      Reject(path, opp_at, rep, persona, source, kSqlRecycleReasons, kSqlDisqualifyReasons, 0.45,
             "not_qualified");
      return;
    }
    OpenDeal(p, path, territory, persona, owner, rate, fit, opp_at);
  }

  void OpenDeal(ContactPlan& p, Path& path, Territory territory, Persona persona, int owner,
                const std::array<double, 5>& rate, const std::array<double, 5>& fit,
                std::int64_t opp_at, std::optional<std::int64_t> won_at = std::nullopt) {
    const Person& rep = people_[static_cast<std::size_t>(owner)];
    const std::int64_t employees =
        p.company >= 0 ? companies_[static_cast<std::size_t>(p.company)].employees : 50;
    // Log-normal around a median growing with the company, redrawn outside 8k-60k EUR.
    const double median = 19000.0 * std::pow(std::max<double>(employees, 20) / 400.0, 0.22);
    double amount = rng_.LogNormal(median, 0.5);
    for (int i = 0; i < 8 && (amount < 8000 || amount > 60000); ++i) {
      amount = rng_.LogNormal(median, 0.5);
    }
    amount = std::clamp(amount, 8000.0, 60000.0);
    const std::int64_t euros = static_cast<std::int64_t>(amount / 500) * 500;
    const std::string_view product = persona == kOpsLeader    ? "Northwind Ops Analytics"
                                     : persona == kHeadOfData ? "Northwind Data Cloud"
                                                              : "Northwind Insight";
    const std::string_view edition = euros < 15000   ? "Starter"
                                     : euros < 35000 ? "Growth"
                                                     : "Enterprise";
    Deal d;
    const std::string& company_name =
        p.company >= 0 ? companies_[static_cast<std::size_t>(p.company)].name : p.contact.last_name;
    d.title = company_name + " – " + std::string(product) + " " + std::string(edition);
    d.owner_id = rep.id;
    d.amount_minor = euros * 100;
    d.currency = "EUR";
    d.created_at = d.updated_at = core::FromMillis(opp_at);
    d.expected_close =
        std::chrono::floor<std::chrono::days>(core::FromMillis(opp_at + Delay(45 * 24, 0.3)));
    Move(path, Stage::kOpportunity, opp_at, rep.actor(), "deal_created");

    const bool won = won_at ? true : rng_.Chance(kBaseWin * rate[4] * fit[4]);
    const std::int64_t close_at =
        won_at ? *won_at
               : WorkTime(opp_at + (won ? Delay(42 * 24, 0.45) : Delay(30 * 24, 0.6)), territory);
    const std::int64_t demo = WorkTime(opp_at + Delay(3 * 24, 0.5), territory);
    const std::int64_t end = std::min(close_at, now_);
    if (demo <= end) {
      AddActivity(p, ActivityType::kMeeting, owner, demo, "Product demo: " + std::string(product),
                  "held", {}, 60, true);
      const std::int64_t proposal = WorkTime(demo + (close_at - demo) / 3, territory);
      if (proposal <= end) {
        AddActivity(p, ActivityType::kEmail, owner, proposal,
                    "Proposal: " + std::string(edition) + " edition", "sent",
                    "Proposal of " + Thousands(euros) + " EUR per year.", std::nullopt, true);
        const std::int64_t follow = WorkTime(proposal + (close_at - proposal) / 2, territory);
        if (follow <= end) {
          AddActivity(p, ActivityType::kCall, owner, follow, "Pricing follow-up", "connected", {},
                      rng_.Between(10, 40), true);
        }
      }
    }
    if (close_at > now_) {
      d.stage = DealStage::kOpen;
      p.deal = std::move(d);
      return;
    }
    d.closed_at = core::FromMillis(close_at);
    d.updated_at = *d.closed_at;
    if (won) {
      d.stage = DealStage::kWon;
      AddActivity(p, ActivityType::kNote, owner, close_at, "Closed won", "won",
                  "Contract signed: " + std::string(edition) + " edition.", std::nullopt, true);
      Move(path, Stage::kCustomer, close_at, rep.actor(), "deal_won");
    } else {
      d.stage = DealStage::kLost;
      d.lost_reason = kLostReasons[rng_.Weighted(kLostReasonWeights)];
      AddActivity(p, ActivityType::kNote, owner, close_at, "Closed lost", "lost",
                  "Lost: " + d.lost_reason + ".", std::nullopt, true);
      Move(path, Stage::kRecycled, close_at, rep.actor(), "deal_lost",
           "deal lost: " + d.lost_reason);
    }
    p.deal = std::move(d);
  }

 private:
  const DemoSettings& s_;
  Random rng_;
  const std::vector<Person>& people_;
  const std::int64_t now_;
  std::array<std::vector<int>, kTerritories> reps_;
  std::array<std::size_t, kTerritories> round_robin_{};
  std::vector<int> marketers_;
  double new_company_chance_ = 0;

  std::vector<std::pair<std::int64_t, std::int64_t>> day_bounds_;
  std::vector<std::int64_t> day_counts_;
  std::size_t day_ = 0;
  std::vector<Arrival> day_arrivals_;
  std::size_t day_next_ = 0;
  std::int64_t produced_ = 0;

  struct WinSlot {
    std::int64_t from;   // contacts arriving from here ...
    std::int64_t until;  // ... up to here bring the won deal at `close`
    std::int64_t close;
    std::int64_t latest;  // the latest close still inside the slice
  };
  std::vector<WinSlot> wins_;
  std::size_t win_next_ = 0;

  std::vector<CompanyState> companies_;
  std::array<std::array<std::vector<int>, kSegments>, kTerritories> pools_;
  std::unordered_set<std::string> taken_domains_;
  std::unordered_map<std::uint64_t, std::uint32_t> taken_emails_;
};

// Writes one batch of planned contacts with their companies, history, deals and activities.
// Counts go to `delta`, merged by the caller once the transaction has committed.
core::Result<void> WriteBatch(store::Tx& tx, std::vector<ContactPlan>& batch,
                              std::vector<CompanyState>& companies,
                              const core::CompiledRules& rules, Instant now, DemoSummary& delta) {
  auto invalid = [](std::string_view what, const core::Error& e) {
    return core::Fail(core::Error::Internal("the demo generated an invalid " + std::string(what) +
                                            " (" + e.field + ": " + e.message + ")"));
  };
  for (ContactPlan& p : batch) {
    if (p.new_company) {
      if (auto v = core::Validate(*p.new_company); !v) return invalid("company", v.error());
      TANDEM_ASSIGN(companies[static_cast<std::size_t>(p.company)].id,
                    tx.companies().Insert(*p.new_company));
      ++delta.companies;
    }
    Contact& c = p.contact;
    if (p.company >= 0) c.company_id = companies[static_cast<std::size_t>(p.company)].id;
    if (auto v = core::Validate(c); !v) return invalid("contact", v.error());
    TANDEM_ASSIGN(c.id, tx.contacts().Insert(c));
    ++delta.contacts;
    ++delta.contacts_by_stage[static_cast<std::size_t>(c.stage)];
    for (StageChange& h : p.history) {
      h.contact_id = c.id;
      TANDEM_ASSIGN(h.id, tx.stages().Append(h));
    }
    delta.stage_changes += std::ssize(p.history);
    // The tracked events, the visitor id they were first seen under, and the engagement they
    // earn under the default event rules (the fit is scored once the personas exist).
    core::ContactScore score;
    score.contact_id = c.id;
    for (core::Event& e : p.events) {
      e.contact_id = c.id;
      if (auto v = core::NormalizeEvent(e, now); !v) return invalid("event", v.error());
      TANDEM_ASSIGN(auto stored, tx.events().Append(e));
      if (!stored) return invalid("event", core::Error::Conflict("event_id", "a duplicate"));
      rules.ApplyEvent(score.engagement, e.type, e.occurred_at);
    }
    delta.events += std::ssize(p.events);
    if (!p.anonymous_id.empty()) {
      TANDEM_TRY(tx.identities().Link(store::IdentityKind::kAnonymous, p.anonymous_id, c.id,
                                      p.events.front().occurred_at));
      ++delta.identified_visitors;
    }
    if (!p.events.empty()) {
      score.caps_text = core::EncodeCaps(rules, score.engagement);
      score.rules_version = rules.version();
      score.updated_at = now;
      TANDEM_TRY(tx.scoring().PutScore(score));
    }
    if (p.deal) {
      p.deal->contact_id = c.id;
      p.deal->company_id = c.company_id;
      if (auto v = core::Validate(*p.deal); !v) return invalid("deal", v.error());
      TANDEM_ASSIGN(p.deal->id, tx.deals().Insert(*p.deal));
      ++delta.deals;
      switch (p.deal->stage) {
        case DealStage::kWon: ++delta.deals_won; break;
        case DealStage::kLost: ++delta.deals_lost; break;
        case DealStage::kOpen: ++delta.deals_open; break;
      }
    }
    for (std::size_t i = 0; i < p.activities.size(); ++i) {
      Activity& a = p.activities[i];
      a.contact_id = c.id;
      if (p.deal_activity[i]) a.deal_id = p.deal->id;
      if (auto v = core::Validate(a); !v) return invalid("activity", v.error());
      TANDEM_ASSIGN(a.id, tx.activities().Insert(a));
    }
    delta.activities += std::ssize(p.activities);
  }
  return {};
}

void Merge(DemoSummary& into, const DemoSummary& delta) {
  into.companies += delta.companies;
  into.contacts += delta.contacts;
  into.stage_changes += delta.stage_changes;
  into.events += delta.events;
  into.identified_visitors += delta.identified_visitors;
  into.activities += delta.activities;
  into.deals += delta.deals;
  into.deals_won += delta.deals_won;
  into.deals_lost += delta.deals_lost;
  into.deals_open += delta.deals_open;
  for (std::size_t i = 0; i < into.contacts_by_stage.size(); ++i) {
    into.contacts_by_stage[i] += delta.contacts_by_stage[i];
  }
}

core::Result<void> RefuseNonEmpty(store::Tx& tx) {
  TANDEM_ASSIGN(const std::int64_t existing, tx.contacts().CountAll());
  if (existing > 0) {
    return core::Fail(core::Error::Precondition(
        "the database already has " + Thousands(existing) +
        " contacts; the demo company is loaded only into an empty database"));
  }
  return {};
}

// The teams and users, all with `password_hash`.
core::Result<void> WriteStaff(store::Tx& tx, Instant at, const std::string& password_hash,
                              std::vector<Person>& people, DemoSummary& summary) {
  TANDEM_TRY(RefuseNonEmpty(tx));
  std::vector<core::Team> teams;
  for (const TeamSpec& spec : kTeams) {
    core::Team t;
    t.name = std::string(spec.name);
    t.function = spec.function;
    t.region = std::string(spec.region);
    t.created_at = t.updated_at = at;
    TANDEM_ASSIGN(t.id, tx.teams().Insert(t));
    teams.push_back(std::move(t));
  }
  people.clear();
  summary.logins.clear();
  for (const StaffMember& spec : kStaff) {
    core::User u;
    u.name = std::string(spec.first) + " " + std::string(spec.last);
    u.email =
        Slug(spec.first, false) + "." + Slug(spec.last, false) + "@" + std::string(kDemoDomain);
    u.role = spec.role;
    u.team_id = teams[static_cast<std::size_t>(spec.team)].id;
    u.created_at = u.updated_at = at;
    TANDEM_ASSIGN(u.id, tx.users().Insert(u, password_hash));
    people.push_back({u.id, u.email, u.name, &spec});
    summary.logins.push_back({u.email, u.name, u.role, teams[spec.team].name});
  }
  for (std::size_t i = 0; i < teams.size(); ++i) {
    teams[i].manager_id = people[static_cast<std::size_t>(kManagerOfTeam[i])].id;
    TANDEM_TRY(tx.teams().Update(teams[i]));
  }
  summary.users = std::ssize(people);
  summary.teams = std::ssize(teams);
  return {};
}

}  // namespace

core::Result<DemoSummary> GenerateDemo(
    store::Store& store, const PasswordHasher& hasher, const DemoSettings& s,
    const std::function<void(std::int64_t done, std::int64_t total)>& progress) {
  if (s.contacts < 0 || s.contacts > kDemoMaxContacts) {
    return core::Fail(
        core::Error::Invalid("contacts", "must be between 0 and " + Thousands(kDemoMaxContacts)));
  }
  if (s.days < 1 || s.days > 3650) {
    return core::Fail(core::Error::Invalid("days", "must be between 1 and 3650"));
  }
  if (core::ToMillis(s.now) <= std::int64_t{s.days} * kDay) {
    return core::Fail(core::Error::Invalid("now", "must be set to the end of the history"));
  }
  // Refuse early, before the deliberately slow password hash; checked again when writing.
  TANDEM_TRY(store.Read([](store::Tx& tx) { return RefuseNonEmpty(tx); }));
  TANDEM_ASSIGN(const std::string hash, hasher.Hash(s.password));

  DemoSummary summary;
  std::vector<Person> people;
  const Instant setup = s.now - std::chrono::days(s.days + 30);
  TANDEM_TRY(
      store.Write([&](store::Tx& tx) { return WriteStaff(tx, setup, hash, people, summary); }));

  TANDEM_ASSIGN(const core::CompiledRules rules, core::CompileRules(core::DefaultScoringRules()));
  Generator generator(s, people);
  std::vector<ContactPlan> batch;
  batch.reserve(static_cast<std::size_t>(std::min(s.contacts, kDemoBatchContacts)));
  if (progress) progress(0, s.contacts);
  while (summary.contacts < s.contacts) {
    batch.clear();
    generator.Next(kDemoBatchContacts, batch);
    DemoSummary delta;
    TANDEM_TRY(store.Write([&](store::Tx& tx) -> core::Result<void> {
      delta = DemoSummary{};
      return WriteBatch(tx, batch, generator.companies(), rules, s.now, delta);
    }));
    Merge(summary, delta);
    if (progress) progress(summary.contacts, s.contacts);
  }

  core::AuditEntry entry;
  entry.at = s.now;
  entry.actor = Actor::System("demo");
  entry.entity = "demo";
  entry.entity_id = 0;
  entry.action = core::AuditAction::kCreate;
  auto add = [&entry](std::string field, std::string value) {
    entry.changes.push_back({std::move(field), "", std::move(value)});
  };
  add("company", std::string(kCompanyName));
  add("seed", std::to_string(s.seed));
  add("days", std::to_string(s.days));
  add("now", core::FormatInstant(s.now));
  add("users", std::to_string(summary.users));
  add("teams", std::to_string(summary.teams));
  add("companies", std::to_string(summary.companies));
  add("contacts", std::to_string(summary.contacts));
  add("stage_changes", std::to_string(summary.stage_changes));
  add("activities", std::to_string(summary.activities));
  add("events", std::to_string(summary.events));
  add("deals", std::to_string(summary.deals));
  TANDEM_TRY(store.Write([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_TRY(tx.audit().Append(entry));
    return {};
  }));
  return summary;
}

std::string Describe(const DemoSummary& d, std::string_view password) {
  std::ostringstream out;
  out << "Loaded the demo company " << kCompanyName << ": " << d.users << " users in " << d.teams
      << " teams, " << Thousands(d.companies) << " companies, " << Thousands(d.contacts)
      << " contacts (" << Thousands(d.stage_changes) << " stage changes, "
      << Thousands(d.activities) << " activities, " << Thousands(d.events) << " tracked events), "
      << Thousands(d.deals) << " deals (" << Thousands(d.deals_won) << " won, "
      << Thousands(d.deals_lost) << " lost, " << Thousands(d.deals_open) << " open).\n";
  out << "Contacts by stage:";
  for (Stage st : core::kAllStages) {
    out << " " << core::ToString(st) << " "
        << Thousands(d.contacts_by_stage[static_cast<std::size_t>(st)])
        << (st == core::kAllStages.back() ? ".\n" : ",");
  }
  out << "\nSign in with any of these accounts; each has the password: " << password << "\n";
  std::size_t width = 0;
  for (const DemoLogin& l : d.logins) width = std::max(width, l.email.size());
  for (const DemoLogin& l : d.logins) {
    std::string role(core::ToString(l.role));
    out << "  " << role << std::string(11 - std::min<std::size_t>(role.size(), 10), ' ') << l.email
        << std::string(width + 2 - l.email.size(), ' ') << l.name << ", " << l.team << "\n";
  }
  return out.str();
}

}  // namespace tandem::app
