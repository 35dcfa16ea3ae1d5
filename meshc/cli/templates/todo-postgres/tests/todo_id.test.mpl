from Types.Todo import valid_todo_id

describe("Todo ids") do
  test("accepts canonical UUIDs in either case") do
    assert(valid_todo_id("7c9e6679-7425-40de-944b-e07fc1f90ae7"))
    assert(valid_todo_id("7C9E6679-7425-40DE-944B-E07FC1F90AE7"))
    assert(valid_todo_id("00000000-0000-0000-0000-000000000000"))
  end

  test("rejects anything else") do
    assert(not valid_todo_id("abc"))
    assert(not valid_todo_id("42"))
    assert(not valid_todo_id(""))
    assert(not valid_todo_id("7c9e6679-7425-40de-944b-e07fc1f90ae7x"))
    assert(not valid_todo_id(" 7c9e6679-7425-40de-944b-e07fc1f90ae7"))
    assert(not valid_todo_id("7c9e6679742540de944be07fc1f90ae7"))
    assert(not valid_todo_id("7c9e6679-7425-40de-944b-e07fc1f90ag7"))
  end
end
