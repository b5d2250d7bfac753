/* libyaml, seen from Swift: the parser's event API (yaml_parser_*, yaml_event_*). */
#include <yaml.h>
