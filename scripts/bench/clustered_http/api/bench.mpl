# Three handlers with the same body: a plain route and clustered routes with n = 1 and n = 2
# (one handler cannot be clustered with two counts).

pub fn handle_plain(_request :: Request) -> Response do
  HTTP.response(200, "{\"todos\":[]}")
end

pub fn handle_one(_request :: Request) -> Response do
  HTTP.response(200, "{\"todos\":[]}")
end

pub fn handle_two(_request :: Request) -> Response do
  HTTP.response(200, "{\"todos\":[]}")
end
