// @ovn-nbgen/ovsdb/wire: the framing and JSON-RPC 1.0 codec the client speaks, for tools and tests
// that talk to an OVSDB server below the client.
export { JsonFrameSplitter, MAX_DECODABLE_FRAME_BYTES, type FrameSplitterOptions } from './frameSplitter.js';
export {
  classifyMessage,
  parseMessage,
  encodeRequest,
  encodeNotification,
  encodeReply,
  encodeErrorReply,
  rpcErrorToOvsdbError,
  type InboundMessage,
  type JsonRpcId,
  type RpcErrorValue,
} from './jsonRpc.js';
