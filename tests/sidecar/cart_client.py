"""Drives the shopping cart through the sidecar with a plain gRPC client and checks every answer.
Usage: cart_client.py ADDRESS STEP   (STEP: fresh | after-restart)"""
import os
import sys
import time

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "interop", "python", "gen")
sys.path.insert(0, GEN)
import cloudstate  # noqa: E402  (the support library's package; the generated eventing module lives in GEN)

cloudstate.__path__.append(os.path.join(GEN, "cloudstate"))
from google.protobuf.empty_pb2 import Empty  # noqa: E402
from shoppingcart import shoppingcart_pb2 as api  # noqa: E402

address, step = sys.argv[1], sys.argv[2]
channel = grpc.insecure_channel(address)
failures = []


def call(method, request, response_type):
    stub = channel.unary_unary("/com.example.shoppingcart.ShoppingCart/" + method,
                               request_serializer=lambda m: m.SerializeToString(),
                               response_deserializer=response_type.FromString)
    return stub(request, timeout=10)


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else ": " + str(detail)))
    if not condition:
        failures.append(name)


def cart(user):
    return [(i.product_id, i.name, i.quantity) for i in call("GetCart", api.GetShoppingCart(user_id=user), api.Cart).items]


def error_of(method, request, response_type):
    try:
        call(method, request, response_type)
        return None
    except grpc.RpcError as e:
        return e.code(), e.details()


if step == "fresh":
    check("a new cart is empty", cart("u1") == [])
    call("AddItem", api.AddLineItem(user_id="u1", product_id="foo", name="A foo", quantity=10), Empty)
    call("AddItem", api.AddLineItem(user_id="u1", product_id="foo", name="A foo", quantity=5), Empty)
    check("adds merge by product", cart("u1") == [("foo", "A foo", 15)], cart("u1"))
    code, details = error_of("AddItem", api.AddLineItem(user_id="u1", product_id="bar", name="B", quantity=0), Empty)
    check("a rejected command is UNKNOWN with the function's description",
          code == grpc.StatusCode.UNKNOWN and "Cannot add negative quantity to item bar" in details, (code, details))
    code, details = error_of("RemoveItem", api.RemoveLineItem(user_id="u1", product_id="nope"), Empty)
    check("removing a missing item fails", code == grpc.StatusCode.UNKNOWN and "Item nope not in cart" in details)
    for _ in range(8):
        call("AddItem", api.AddLineItem(user_id="viktor", product_id="1337", name="h4x0r", quantity=1), Empty)
    check("eight adds", cart("viktor") == [("1337", "h4x0r", 8)], cart("viktor"))
    call("RemoveItem", api.RemoveLineItem(user_id="viktor", product_id="1337"), Empty)
    check("remove empties the cart", cart("viktor") == [])
    # The sidecar runs with a short passivation timeout: the entity comes back by replay.
    time.sleep(1.0)
    check("the cart survives passivation (replayed into the function)", cart("u1") == [("foo", "A foo", 15)], cart("u1"))
    code, _ = error_of("Nope", api.GetShoppingCart(user_id="u1"), api.Cart)
    check("an unknown method is UNIMPLEMENTED", code == grpc.StatusCode.UNIMPLEMENTED, code)
else:
    check("the cart survives a sidecar restart on a durable store", cart("u1") == [("foo", "A foo", 15)], cart("u1"))
    # viktor's 9 events crossed the snapshot mark of a snapshotting function: init carries it.
    check("a cart past a snapshot recovers too", cart("viktor") == [], cart("viktor"))
    call("AddItem", api.AddLineItem(user_id="u1", product_id="baz", name="Baz", quantity=2), Empty)
    check("and keeps working", cart("u1") == [("foo", "A foo", 15), ("baz", "Baz", 2)], cart("u1"))

sys.exit(1 if failures else 0)
