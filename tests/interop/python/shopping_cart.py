"""Event sourced shopping cart user function (samples.md §1.3), written against the official
Cloudstate Python support library (PyPI `cloudstate`), used unmodified.

Listens on $HOST:$PORT (the library's own variables; defaults 127.0.0.1:8080).
Snapshot interval: $CART_SNAPSHOT_EVERY (default 5; 0 = no snapshots).
The generated protobuf modules are expected in $CART_GEN_DIR (setup.sh creates them).
"""

import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
GEN_DIR = os.environ.get("CART_GEN_DIR", os.path.join(HERE, "gen"))
sys.path.insert(0, GEN_DIR)

# The library owns the top-level `cloudstate` package. Our cart proto imports
# cloudstate/eventing.proto, whose generated module lives in GEN_DIR/cloudstate; let the package
# find it there too. (cloudstate/entity_key.proto resolves to the library's own copy, which it
# also puts into the discovery descriptor set.)
import cloudstate  # noqa: E402

cloudstate.__path__.append(os.path.join(GEN_DIR, "cloudstate"))

from google.protobuf.empty_pb2 import Empty  # noqa: E402
from cloudstate.cloudstate import CloudState  # noqa: E402
from cloudstate.event_sourced_context import EventSourcedCommandContext  # noqa: E402
from cloudstate.event_sourced_entity import EventSourcedEntity  # noqa: E402

from shoppingcart import shoppingcart_pb2 as api  # noqa: E402
from shoppingcart.persistence import domain_pb2 as domain  # noqa: E402

SERVICE = api.DESCRIPTOR.services_by_name["ShoppingCart"]

# Files the library adds to the discovery descriptor set by itself (see discovery_servicer.py).
LIBRARY_ADDED_FILES = {
    "google/protobuf/empty.proto",
    "cloudstate/entity_key.proto",
    "google/protobuf/descriptor.proto",
    "google/api/annotations.proto",
    "google/api/http.proto",
}


def descriptor_closure(roots):
    """Our files plus every file they import (transitively), minus those the library adds."""
    seen, ordered = set(), []

    def visit(fd):
        if fd.name in seen:
            return
        seen.add(fd.name)
        for dep in fd.dependencies:
            visit(dep)
        ordered.append(fd)

    for root in roots:
        visit(root)
    return [fd for fd in ordered if fd.name not in LIBRARY_ADDED_FILES]


class CartState:
    """In-memory cart: line items keyed by product id, in order of first addition.

    A plain class (not a protobuf Cart) so that the library's type-annotation based argument
    injection can tell the state apart from a snapshot, which is a domain Cart.
    """

    def __init__(self):
        self.items = OrderedDict()  # product id -> domain.LineItem

    def to_domain(self):
        return domain.Cart(items=list(self.items.values()))

    def to_api(self):
        return api.Cart(items=[
            api.LineItem(product_id=i.productId, name=i.name, quantity=i.quantity)
            for i in self.items.values()
        ])


entity = EventSourcedEntity(
    SERVICE,
    descriptor_closure([api.DESCRIPTOR, domain.DESCRIPTOR]),
    lambda entity_id: CartState(),
    persistence_id="shopping-cart",
    # 5 as in the sample. CART_SNAPSHOT_EVERY=0 turns snapshots off: this library version fails
    # to recover an entity from a snapshot (see tests/interop/NOTES.md).
    snapshot_every=int(os.environ.get("CART_SNAPSHOT_EVERY", "5")),
)


@entity.snapshot()
def take_snapshot(state: CartState):
    return state.to_domain()


@entity.snapshot_handler()
def restore_snapshot(state: CartState, snapshot: domain.Cart):
    restored = CartState()
    for item in snapshot.items:
        restored.items[item.productId] = domain.LineItem(
            productId=item.productId, name=item.name, quantity=item.quantity)
    return restored


@entity.event_handler(domain.ItemAdded)
def on_item_added(state: CartState, event: domain.ItemAdded):
    existing = state.items.get(event.item.productId)
    if existing is not None:
        existing.quantity += event.item.quantity
    else:
        state.items[event.item.productId] = domain.LineItem(
            productId=event.item.productId, name=event.item.name, quantity=event.item.quantity)
    return state


@entity.event_handler(domain.ItemRemoved)
def on_item_removed(state: CartState, event: domain.ItemRemoved):
    state.items.pop(event.productId, None)
    return state


@entity.command_handler("AddItem")
def add_item(state: CartState, cmd: api.AddLineItem, ctx: EventSourcedCommandContext):
    if cmd.quantity < 1:
        ctx.fail("Cannot add negative quantity to item {}".format(cmd.product_id))
        return None
    ctx.emit(domain.ItemAdded(item=domain.LineItem(
        productId=cmd.product_id, name=cmd.name, quantity=cmd.quantity)))
    return Empty()


@entity.command_handler("RemoveItem")
def remove_item(state: CartState, cmd: api.RemoveLineItem, ctx: EventSourcedCommandContext):
    if cmd.product_id not in state.items:
        ctx.fail("Item {} not in cart".format(cmd.product_id))
        return None
    ctx.emit(domain.ItemRemoved(productId=cmd.product_id))
    return Empty()


@entity.command_handler("GetCart")
def get_cart(state: CartState):
    return state.to_api()


if __name__ == "__main__":
    CloudState().register_event_sourced_entity(entity).start()
