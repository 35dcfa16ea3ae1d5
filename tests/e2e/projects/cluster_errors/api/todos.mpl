pub fn list(req :: Request) -> Response = HTTP.response(200, "list")

fn private_list(req :: Request) -> Response = HTTP.response(200, "private")
